// Package wecom is firebot's client for WeCom's (企业微信) server API: group
// robot pushes (webhook/send, webhook/upload_media), application messages
// (message/send, message/update_template_card), application group chats
// (appchat/*), temporary media (media/upload, media/get), intelligent-robot
// answers (aibot/response) and the access token behind them (gettoken).
//
// # One method per message kind
//
// A delivery worker calls one method per message and classifies the error:
//
//	err := c.WebhookMarkdown(ctx, key, part)
//	switch {
//	case err == nil:                 // delivered
//	case wecom.MediaExpired(err):    // re-upload, then send again
//	case wecom.Permanent(err):       // give up; tell people wecom.Reason(err)
//	case wecom.Retryable(err):       // back off at least wecom.RetryAfter(err)
//	default:                         // unknown: retry a few times with back-off
//	}
//
// Every answer's errcode/errmsg is decoded: a non-zero errcode is an
// *APIError (errors.As), a non-2xx status an *HTTPError, a transport failure
// a *NetError, an undecodable body a *DecodeError (errors.Is
// ErrMalformedResponse). Reason gives a plain-Chinese explanation.
//
// Long texts are cut with SplitText at the Max*Bytes limits before sending.
//
// # Access token
//
// Tokens live in a TokenCache (in memory by default; a shared one lets
// replicas share a token) and are replaced before they expire (10 % of the
// lifetime, at most 5 minutes, early; real clock). Concurrent callers share
// one gettoken. When WeCom rejects a token (40014 revoked, 42001 expired) the
// client drops it, fetches a new one and retries the call once. When it
// rejects the corpid/secret (40001/40013/40091) the client logs it once and
// returns that error, without calling gettoken, for Options.CredentialPause
// (10 minutes): repeated bad secrets get the server's IP banned.
//
// # Hosts and secrets
//
// Every call goes to Options.BaseURL, webhook pushes included: a webhook is
// addressed by its key alone, and a response_url or GetChatInfoUrl from a
// callback contributes only its path and query. Tokens, secrets, webhook keys
// and response codes never appear in logs or error strings (RedactURL).
//
// # Why not silenceper/wechat/v2
//
// go.mod carries silenceper/wechat/v2 v2.1.10, but this package is its own
// small client and does not import it:
//   - its host is hard-coded; pointing it at a proxy or at the fake server
//     needs the package globals util.SetURIModifier / util.DefaultHTTPClient,
//     so every test and every client in the process would share them;
//   - most calls take no context.Context;
//   - robot.Client.RobotBroadcast returns a nil error when errcode != 0;
//   - message/update_template_card, appchat/create, appchat/get and
//     webhook/upload_media are missing, and its message structs send
//     agentid as a string;
//   - its token cache does not drop tokens on 40014/42001.
//
// The request shapes follow WeCom's documentation (and agree with
// silenceper's structs where both exist); the fake in wecom/fakewecom checks
// them.
package wecom
