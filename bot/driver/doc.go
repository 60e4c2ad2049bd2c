// Package driver plays WeCom towards a firebot callback URL, for tests,
// the simulator and benchmarks.
//
// A Driver is built per channel with that channel's token, EncodingAESKey
// and receive id. It signs and encrypts exactly as WeCom does (timestamps
// from a real clock, injectable; nonces and random prefixes from an
// injectable entropy source) and follows WeCom's delivery rules: a 5 s
// deadline per attempt, the identical request re-sent on timeout or
// non-200 (4 attempts by default), then the passive reply verified
// (signature, receive id, XML/JSON envelope) and decrypted.
//
//	d, _ := driver.New(srv.URL, driver.Options{
//		Channel: bot.ChannelRobot, Token: token, EncodingAESKey: key,
//		Path: "/wecom/robot",
//	})
//	_ = d.Verify(ctx, "/wecom/robot")
//	res, err := d.SendRobotText(ctx, "wrkC1", "group", "zhangsan", "张三", "@小火 上报")
//	// res.Reply is the decrypted reply plaintext (nil: 200, empty body)
//
// Payload builders (RobotText, AibotCardEvent, AppCardEvent, …) return the
// plaintexts for Send; Seal and Do split sealing from posting, Resend
// repeats a request byte for byte, Replay reuses its timestamp and nonce
// with another body, and SendRaw posts exact bytes for malformed-input
// tests. FollowStream polls an intelligent-robot stream to its end.
package driver
