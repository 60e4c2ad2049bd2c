package bot

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"slices"
)

// Signature computes a WeCom msg_signature: the four values token,
// timestamp, nonce and data (the echostr of a GET, the Encrypt value of a
// POST or of a passive reply) are sorted bytewise, concatenated without a
// separator and hashed with SHA-1; the result is lowercase hex.
func Signature(token, timestamp, nonce, data string) string {
	parts := []string{token, timestamp, nonce, data}
	slices.Sort(parts)
	h := sha1.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifySignature reports whether signature is the msg_signature of the
// other four values. The comparison takes constant time.
func VerifySignature(token, timestamp, nonce, data, signature string) bool {
	want := Signature(token, timestamp, nonce, data)
	return subtle.ConstantTimeCompare([]byte(want), []byte(signature)) == 1
}
