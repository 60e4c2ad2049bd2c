// Package fakewecom is a fake of WeCom's server API (qyapi.weixin.qq.com)
// for tests: a real HTTP server on loopback that behaves like WeCom where
// firebot depends on it, records what it accepted, and fails on request.
//
//	srv := fakewecom.New(fakewecom.Options{Real: fakeClock, Users: []string{"zhangsan"}})
//	defer srv.Close()
//	srv.RegisterWebhookKey("KEY", "wrGROUP1")
//	client := wecom.New(wecom.Options{BaseURL: srv.URL(), CorpID: srv.CorpID(), Secret: srv.Secret(), ...})
//	... client.WebhookMarkdown(ctx, "KEY", "**hi**") ...
//	msgs, _ := srv.WaitFor(ctx, 1) // blocks on a channel, never polls
//
// What it imitates (protocol notes §6–§8.1):
//
//   - gettoken: the configured corpid/secret get a token (the same one while
//     it is valid, like WeCom) with Options.TokenTTL; a bad corpid is 40013,
//     a bad secret 40001. RevokeToken makes issued tokens answer 40014,
//     ExpireTokens 42001; a missing token is 41001.
//   - message/send: agentid, msgtype (40008), sizes (45002; text and
//     markdown 2048 B), empty content (44004), recipients (unknown users go
//     to invaliduser; none valid → 81013), a per-recipient sliding minute
//     (30 → 45009; real WeCom silently drops instead), enable_duplicate_check
//     (an identical body within the interval is answered but not recorded),
//     msgid and, for button/vote/multiple cards, a response_code.
//   - message/update_template_card: each response_code once within 72 h.
//   - appchat/create, appchat/get, appchat/send (members must be known users).
//   - webhook/send: unknown key → 93000 "invalid webhook url"; chatid
//     ("|"-joined chats of the robot or known userids, or @all_group) names
//     where the message goes, an unknown one → 93006; without chatid it goes
//     to every group of the robot (its own, plus AddWebhookChat's groups),
//     as WeCom's default does; Recorded.To and Chats show both; more than 20
//     accepted messages per key in any 60 s → 45009; content rules of §3.2
//     (text 2048 B, markdown 4096 B, image md5, news 1–8, file media_id
//     owned by the key, notice cards only).
//   - webhook/upload_media, media/upload, media/get (40007 once a media_id is
//     older than 3 days or removed with ExpireMedia).
//   - aibot/response and webhook/get_chat_info: single-use codes minted with
//     MintResponseURL (1 h) and MintChatInfoURL (5 min); the URLs carry the
//     public WeCom host, as real callbacks do.
//
// Where WeCom's error code is undocumented (reused codes, unknown chats) the
// fake uses CodeInvalidCode, CodeChatNotFound and CodeChatExists.
//
// Time comes from Options.Real, so tests move token expiry, rate windows and
// code validity with a fake clock. Real time passes only where a test asks
// for it (SetLatency, the Delay fault); the Hang fault waits for the client
// to give up instead.
//
// Faults: InjectFault(api, n, Fault) makes the next n matching calls answer
// errcode -1 (SystemBusy) or any errcode, an HTTP status, malformed JSON, a
// delay or no answer at all; Fault.Key and Fault.Match narrow the calls.
//
// The package does not import firebot/wecom, so it can check any client.
package fakewecom
