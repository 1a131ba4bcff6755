import { Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { AuthenticatedRequest, Public, Roles } from '../auth/actor.js';
import { AdminSessions } from './admin-sessions.js';
import { bearerToken, DASHBOARD_PATH } from './queue-dashboard.js';

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Family Handover — admin sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}textarea{width:100%;height:8rem}</style></head>
<body><h1>Admin sign-in</h1>
<p>Paste your bearer token (from your identity provider, or <code>npm run token -- &lt;email&gt;</code> in development) to open the queue dashboard.</p>
<form id="signin"><textarea id="token" aria-label="Bearer token" required></textarea><p><button type="submit">Open the queue dashboard</button></p></form>
<p id="error" role="alert"></p>
<script src="/admin/login.js"></script></body></html>`;

const LOGIN_SCRIPT = `document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  const response = await fetch('/admin/session', { method: 'POST', headers: { authorization: 'Bearer ' + token } });
  if (response.ok) { window.location.href = '${DASHBOARD_PATH}'; return; }
  const body = await response.json().catch(() => ({ message: ['sign-in failed'] }));
  document.getElementById('error').textContent = (body.message || []).join('; ');
});`;

/**
 * A browser cannot send a bearer header to a page, so admins exchange their token for a server-side
 * session (AdminSessions): the cookie is an opaque random value, valid only for /admin.
 */
@ApiExcludeController()
@Controller('admin')
export class AdminController {
  constructor(@Inject(AdminSessions) private readonly sessions: AdminSessions) {}

  @Get('login')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  login() {
    return LOGIN_PAGE;
  }

  @Get('login.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  loginScript() {
    return LOGIN_SCRIPT;
  }

  /** Starts a dashboard session for the admin whose (already verified) bearer token this request carries. */
  @Post('session')
  @Roles('admin')
  @HttpCode(204)
  async startSession(
    @Req() request: FastifyRequest & AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const exp = decodeJwt(bearerToken(request)!).exp;
    void reply.header('Set-Cookie', await this.sessions.start(request.actor!.id, exp));
  }

  /** Signs out: the session's row is deleted, so a copy of the cookie opens nothing afterwards. */
  @Delete('session')
  @Public()
  @HttpCode(204)
  async endSession(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Set-Cookie', await this.sessions.end(request));
  }
}
