// Package wechat is a client for WeChat's three Mini Program code endpoints
// (getwxacodeunlimit, getwxacode, createwxaqrcode) and the token endpoints
// they need, shaped like go-github scaled down.
//
// A Client is built with functional options and is safe for concurrent use:
//
//	c := wechat.NewClient(
//		wechat.WithTokenSource(wechat.NewStableToken(appID, secret, wechat.TokenOptions{})),
//		wechat.WithLedger(ledger))
//	code, err := c.Get(ctx, &wechat.UnlimitedRequest{Scene: "id=42"})
//
// Files, one purpose each:
//
//   - client.go: Client, options, Get (validation, then send on the request's Route).
//   - send.go: the one loop of every call with a token, the code and the
//     link-rule endpoints alike (token, limiter, renewal, 45009, retries, counts, log).
//   - call.go: the one request pipeline every endpoint goes through (do).
//   - request.go, params.go, validate.go: the typed requests, their Routes, Params and their rules.
//   - linkrules.go: the link-rule endpoints (qrcodejumpget, add, publish).
//   - response.go, code.go: reading an answer into a Code.
//   - errors.go: every error type and sentinel (ValidationError is in validate.go).
//   - token*.go: the token sources (stable, classic, authorizer, command, fixed) and their cache.
//   - limiter.go, retry.go: the client-side 5000/min limit and the back-off.
//   - ledger.go: the local count of the 100,000 lifetime codes.
//   - redact.go, log.go: keeping credentials out of errors and the debug log.
//
// Errors: a *ValidationError means nothing was sent; *APIError is WeChat's
// errcode; *RateLimitError is 45009/45011; *RequestError is everything below
// the API (status, transport, a body that is not an image). None of them ever
// contains the access token, the secret or a refresh token.
//
// Time: every clock read goes through the Client's clock (WithClock) or
// TokenOptions.Now, and every wait through one timer-based sleep, so tests run
// the limiter, back-off and 45009 paths on testing/synctest's fake clock.
// wxacode/internal/wechattest wires a Client to the simulator (wechat/sim)
// in-process for that.
package wechat
