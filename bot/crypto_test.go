package bot

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func newTestCipher(t *testing.T, key, receiveID, random string) *Cipher {
	t.Helper()
	var entropy *strings.Reader
	if random != "" {
		entropy = strings.NewReader(random)
	}
	var c *Cipher
	var err error
	if entropy != nil {
		c, err = NewCipher(key, receiveID, entropy)
	} else {
		c, err = NewCipher(key, receiveID, nil)
	}
	if err != nil {
		t.Fatalf("NewCipher: %v", err)
	}
	return c
}

func TestEncryptVectors(t *testing.T) {
	tests := []struct {
		name, random, plaintext, want string
	}{
		{"8.3 request", exRandom, exPlaintext, exEncrypt},
		{"8.3 echo", exRandom, exEcho, exEchoStr},
		{"8.3 reply", exReplyRandom, exReplyPlaintext, exReplyEncrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCipher(t, exAESKey, "", tt.random)
			got, err := c.Encrypt([]byte(tt.plaintext))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Encrypt =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDecryptVectors(t *testing.T) {
	tests := []struct {
		name, key, b64, wantMsg, wantID string
	}{
		{"8.3 request", exAESKey, exEncrypt, exPlaintext, ""},
		{"8.3 echo", exAESKey, exEchoStr, exEcho, ""},
		{"8.3 reply", exAESKey, exReplyEncrypt, exReplyPlaintext, ""},
		{"8.4 echo", offAESKey, offEchoStr, offEcho, offReceiveID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCipher(t, tt.key, "", "")
			msg, id, err := c.Decrypt(tt.b64)
			if err != nil {
				t.Fatal(err)
			}
			if string(msg) != tt.wantMsg || id != tt.wantID {
				t.Errorf("Decrypt = %q, %q; want %q, %q", msg, id, tt.wantMsg, tt.wantID)
			}
		})
	}
}

func TestWorkedExampleFraming(t *testing.T) {
	// §8.3 steps (1)–(2): 545 bytes framed, 31 bytes of 0x1f padding.
	if len(exPlaintext) != 525 {
		t.Fatalf("plaintext is %d bytes, want 525", len(exPlaintext))
	}
	raw, _ := base64.StdEncoding.DecodeString(exEncrypt)
	if len(raw) != 576 || len(exEncrypt) != 768 {
		t.Fatalf("ciphertext %d bytes / base64 %d chars, want 576 / 768", len(raw), len(exEncrypt))
	}
	key, _ := base64.StdEncoding.DecodeString(exAESKey + "=")
	plain := cbcDecrypt(t, key, raw)
	if got := binary.BigEndian.Uint32(plain[16:20]); got != 525 {
		t.Errorf("length field = %d", got)
	}
	if !bytes.Equal(plain[545:], bytes.Repeat([]byte{0x1f}, 31)) {
		t.Errorf("padding = %x", plain[545:])
	}
}

func TestOpenReceiveID(t *testing.T) {
	tests := []struct {
		name, configured string
		wantErr          error
	}{
		{"matching corp id", offReceiveID, nil},
		{"empty configured id skips the check", "", nil},
		{"other corp id", "wwOTHER", ErrReceiveID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestCipher(t, offAESKey, tt.configured, "")
			msg, err := c.Open(offEchoStr)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && string(msg) != offEcho {
				t.Errorf("Open = %q", msg)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, id := range []string{"", "wx5823bf96d3bd56c7", "中文"} {
		c := newTestCipher(t, exAESKey, id, "")
		for n := range 100 {
			msg := bytes.Repeat([]byte{byte('a' + n%26)}, n)
			enc, err := c.Encrypt(msg)
			if err != nil {
				t.Fatal(err)
			}
			got, gotID, err := c.Decrypt(enc)
			if err != nil || !bytes.Equal(got, msg) || gotID != id {
				t.Fatalf("id %q len %d: got %q %q %v", id, n, got, gotID, err)
			}
		}
	}
}

func TestEncryptFreshRandom(t *testing.T) {
	c := newTestCipher(t, exAESKey, "", "")
	a, _ := c.Encrypt([]byte("same"))
	b, _ := c.Encrypt([]byte("same"))
	if a == b {
		t.Error("two encryptions of the same message are identical")
	}
}

func TestEncryptEntropyFailure(t *testing.T) {
	c, err := NewCipher(exAESKey, "", iotest.ErrReader(errors.New("no entropy")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Encrypt([]byte("x")); err == nil {
		t.Error("Encrypt succeeded without entropy")
	}
}

func TestNewCipherBadKey(t *testing.T) {
	for name, key := range map[string]string{
		"empty":      "",
		"42 chars":   exAESKey[:42],
		"44 chars":   exAESKey + "A",
		"not base64": "!!ECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewCipher(key, "", nil); !errors.Is(err, ErrBadAESKey) {
				t.Errorf("err = %v, want ErrBadAESKey", err)
			}
		})
	}
}

// cbcEncrypt encrypts an arbitrary (already block-aligned) plaintext with
// the example key, to build malformed ciphertexts.
func cbcEncrypt(t *testing.T, plain []byte) string {
	t.Helper()
	key, _ := base64.StdEncoding.DecodeString(exAESKey + "=")
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, plain)
	return base64.StdEncoding.EncodeToString(out)
}

func cbcDecrypt(t *testing.T, key, raw []byte) []byte {
	t.Helper()
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(out, raw)
	return out
}

// framed builds random|len|msg|id with an explicit length field and padding.
func framed(lenField uint32, body string, padByte byte, padLen int) []byte {
	b := []byte("0123456789abcdef")
	b = binary.BigEndian.AppendUint32(b, lenField)
	b = append(b, body...)
	for range padLen {
		b = append(b, padByte)
	}
	return b
}

func TestDecryptMalformed(t *testing.T) {
	// 12 bytes of body: 16+4+12 = 32, so padLen fills whole 32-byte blocks.
	good := framed(12, "hello wx-id!", 32, 32)
	tests := []struct {
		name string
		b64  string
		want error
	}{
		{"sanity", cbcEncrypt(t, good), nil},
		{"not base64", "%%%not base64%%%", ErrBadBase64},
		{"base64 without padding", strings.TrimRight(exEchoStr, "="), ErrBadBase64},
		{"empty", "", ErrBadCiphertext},
		{"16 bytes", base64.StdEncoding.EncodeToString(make([]byte, 16)), ErrBadCiphertext},
		{"not a multiple of 16", base64.StdEncoding.EncodeToString(make([]byte, 33)), ErrBadCiphertext},
		{"truncated ciphertext", exEncrypt[:len(exEncrypt)-8], ErrBadCiphertext},
		{"pad byte zero", cbcEncrypt(t, framed(12, "hello wx-id!", 0, 32)), ErrBadPadding},
		{"pad byte 33", cbcEncrypt(t, framed(12, "hello wx-id!", 33, 32)), ErrBadPadding},
		{"pad bytes inconsistent", cbcEncrypt(t, append(framed(12, "hello wx-id!", 3, 29), 3, 4, 3)), ErrBadPadding},
		{"pad longer than data", cbcEncrypt(t, bytes.Repeat([]byte{32}, 16)), ErrBadCiphertext},
		{"length field beyond data", cbcEncrypt(t, framed(13, "hello wx-id!", 32, 32)), ErrBadLength},
		{"length field huge", cbcEncrypt(t, framed(0xffffffff, "hello wx-id!", 32, 32)), ErrBadLength},
		{"too short for framing", cbcEncrypt(t, append([]byte("0123456789abcdef"), bytes.Repeat([]byte{16}, 16)...)), ErrBadLength},
		{"garbage blocks", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 64)), nil},
	}
	c := newTestCipher(t, exAESKey, "", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, id, err := c.Decrypt(tt.b64)
			if tt.name == "garbage blocks" {
				// Random-looking plaintext: any typed error, never a panic.
				if err == nil {
					t.Logf("garbage decrypted to %q %q", msg, id)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && (string(msg) != "hello wx-id!" || id != "") {
				t.Errorf("got %q %q", msg, id)
			}
		})
	}
}

func TestDecryptBytes(t *testing.T) {
	c := newTestCipher(t, exAESKey, "", "")
	for _, n := range []int{0, 1, 31, 32, 33, 1000} {
		data := bytes.Repeat([]byte{0xAB}, n)
		enc := c.EncryptBytes(data)
		if len(enc)%32 != 0 || len(enc) <= n {
			t.Fatalf("len %d: encrypted %d bytes", n, len(enc))
		}
		got, err := c.DecryptBytes(enc)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("len %d: %v", n, err)
		}
	}
	// IV = key[:16], no framing: decrypting by hand gives the data + padding.
	key, _ := base64.StdEncoding.DecodeString(exAESKey + "=")
	enc := c.EncryptBytes([]byte("JPEG"))
	if got := cbcDecrypt(t, key, enc); !bytes.Equal(got, append([]byte("JPEG"), bytes.Repeat([]byte{28}, 28)...)) {
		t.Errorf("manual decrypt = %x", got)
	}
	for name, tt := range map[string]struct {
		in   []byte
		want error
	}{
		"empty":         {nil, ErrBadCiphertext},
		"not aligned":   {make([]byte, 17), ErrBadCiphertext},
		"bad padding":   {cbcRaw(t, bytes.Repeat([]byte{0}, 32)), ErrBadPadding},
		"pad too large": {cbcRaw(t, bytes.Repeat([]byte{40}, 48)), ErrBadPadding},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.DecryptBytes(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func cbcRaw(t *testing.T, plain []byte) []byte {
	raw, _ := base64.StdEncoding.DecodeString(cbcEncrypt(t, plain))
	return raw
}
