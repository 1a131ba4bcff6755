import { Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { Public, Roles } from '../auth/actor.js';
import { ADMIN_COOKIE, adminToken, DASHBOARD_PATH } from './queue-dashboard.js';

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

/** A browser cannot send a bearer header to a page, so admins exchange their token for a cookie. */
@ApiExcludeController()
@Controller('admin')
export class AdminController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

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

  /** Sets an HttpOnly cookie holding the (already verified) token, valid only for /admin, until it expires. */
  @Post('session')
  @Roles('admin')
  @HttpCode(204)
  startSession(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = adminToken(request)!;
    const exp = decodeJwt(token).exp ?? 0;
    const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
    const secure = this.config.appBaseUrl.startsWith('https://') ? '; Secure' : '';
    void reply.header(
      'Set-Cookie',
      `${ADMIN_COOKIE}=${token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    );
  }

  @Delete('session')
  @Public()
  @HttpCode(204)
  endSession(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Set-Cookie', `${ADMIN_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`);
  }
}
