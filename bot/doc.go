// Package bot is firebot's side of the WeCom callback protocol, for the
// three channels firebot talks through: the group robot (ChannelRobot), the
// intelligent robot in API mode (ChannelAibot) and a self-built app
// (ChannelApp).
//
// The protocol is split into small pieces, each testable with the official
// vectors:
//
//   - Signature / VerifySignature: the SHA-1 msg_signature (constant-time
//     comparison).
//   - Cipher: AES-256-CBC with WeCom's framing and 32-byte PKCS#7 padding.
//     Decrypt never panics; malformed input gives ErrBadBase64,
//     ErrBadCiphertext, ErrBadPadding or ErrBadLength. DecryptBytes opens
//     the intelligent robot's encrypted media.
//   - Envelope, ReplyEnvelope, Params and Codec: the outer XML/JSON, the
//     signed query, URL verification (VerifyURL, with the raw '+' pitfall
//     handled), opening requests (Open) and sealing passive replies (Seal,
//     reusing the callback's timestamp and nonce). SealRequest and
//     OpenReply are the mirror image, for drivers that play WeCom.
//   - ParseRobot, ParseAibot, ParseApp (or Parse): decrypted plaintext to
//     a normalised *Message (mention stripped, dedupe key, click, images).
//   - Reply, SplitReply, Renderer: a channel-neutral answer, the part of it
//     that can be passive on the channel, and its passive plaintext.
//
// An http.Handler is then a short composition (store, dedupe and routing
// are the caller's):
//
//	p, err := bot.ParseParams(r.URL.RawQuery)        // 400 on error
//	if r.Method == http.MethodGet {
//		echo, err := codec.VerifyURL(p)           // 400 on error
//		w.Write(echo)                             // bare plaintext, 200
//		return
//	}
//	f := bot.FormatOf(channel, r.URL.RawQuery)
//	plain, id, err := codec.OpenFrom(p, body, f)  // 400 on error
//	msg, err := bot.Parse(channel, f, plain, robotName)
//	reply := route(msg)                           // dedupe on msg.DedupeKey
//	passive, push := bot.SplitReply(msg, reply)   // enqueue push if non-empty
//	out, err := renderer.Render(msg, passive)     // nil: 200, empty body
//	body, err := codec.SealTo(out, id, p.Timestamp, p.Nonce, f)
//
// SplitReply also sends by push what is too long to be passive (app text
// 2048 B, robot text 2048 B and markdown 4096 B, intelligent-robot stream
// 20480 B). Endpoint is that composition with the store: when a commit's
// outcome is unknown (store.ErrAmbiguous) it asks the store again by the
// dedupe key before answering.
//
// Package bot/driver plays WeCom against such a handler.
package bot
