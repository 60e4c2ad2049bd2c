package bot

import "testing"

func TestSignatureVectors(t *testing.T) {
	tests := []struct {
		name                         string
		token, ts, nonce, data, want string
	}{
		{"8.3 request", exToken, exTimestamp, exNonce, exEncrypt, exSignature},
		{"8.3 echo", exToken, exTimestamp, exNonce, exEchoStr, exEchoSignature},
		{"8.3 reply", exToken, exTimestamp, exNonce, exReplyEncrypt, exReplySignature},
		{"8.4 echo", offToken, offTimestamp, offNonce, offEchoStr, offSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Signature(tt.token, tt.ts, tt.nonce, tt.data); got != tt.want {
				t.Errorf("Signature = %s, want %s", got, tt.want)
			}
			if !VerifySignature(tt.token, tt.ts, tt.nonce, tt.data, tt.want) {
				t.Error("VerifySignature rejected the vector")
			}
		})
	}
}

func TestVerifySignatureRejects(t *testing.T) {
	tests := []struct{ name, token, ts, nonce, data, sig string }{
		{"flipped digit", exToken, exTimestamp, exNonce, exEncrypt, "f6d4152872f2ce64a91d00f40b9d8eb7110b89ff"},
		{"uppercase hex", exToken, exTimestamp, exNonce, exEncrypt, "F6D4152872F2CE64A91D00F40B9D8EB7110B89FE"},
		{"empty", exToken, exTimestamp, exNonce, exEncrypt, ""},
		{"prefix", exToken, exTimestamp, exNonce, exEncrypt, exSignature[:20]},
		{"other token", "other", exTimestamp, exNonce, exEncrypt, exSignature},
		{"other timestamp", exToken, "1700000001", exNonce, exEncrypt, exSignature},
		{"other body", exToken, exTimestamp, exNonce, exEchoStr, exSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if VerifySignature(tt.token, tt.ts, tt.nonce, tt.data, tt.sig) {
				t.Error("forged signature accepted")
			}
		})
	}
}
