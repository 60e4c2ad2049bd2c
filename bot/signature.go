package bot

import (
	"crypto/subtle"

	"github.com/silenceper/wechat/v2/util"
)

// Signature computes a WeCom msg_signature: the four values token,
// timestamp, nonce and data (the echostr of a GET, the Encrypt value of a
// POST or of a passive reply) are sorted bytewise, concatenated without a
// separator and hashed with SHA-1; the result is lowercase hex.
//
// silenceper's util.Signature does exactly this (checked against the
// official vectors), so it is reused.
func Signature(token, timestamp, nonce, data string) string {
	return util.Signature(token, timestamp, nonce, data)
}

// VerifySignature reports whether signature is the msg_signature of the
// other four values. The comparison takes constant time.
func VerifySignature(token, timestamp, nonce, data, signature string) bool {
	want := Signature(token, timestamp, nonce, data)
	return subtle.ConstantTimeCompare([]byte(want), []byte(signature)) == 1
}
