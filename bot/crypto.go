package bot

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/silenceper/wechat/v2/util"
)

// Errors of the AES layer. Every malformed input maps to one of them; none
// of them carries key material.
var (
	// ErrBadAESKey: the EncodingAESKey is not 43 base64 characters that
	// decode to 32 bytes.
	ErrBadAESKey = errors.New("bot: bad EncodingAESKey")
	// ErrBadBase64: the encrypted value is not standard base64.
	ErrBadBase64 = errors.New("bot: bad base64")
	// ErrBadCiphertext: the ciphertext is shorter than 32 bytes or not a
	// multiple of the AES block size.
	ErrBadCiphertext = errors.New("bot: bad ciphertext size")
	// ErrBadPadding: the PKCS#7 padding is 0, larger than 32, longer than the
	// data, or its bytes disagree.
	ErrBadPadding = errors.New("bot: bad padding")
	// ErrBadLength: the plaintext is too short for its framing, or its
	// length field exceeds what remains.
	ErrBadLength = errors.New("bot: bad length field")
	// ErrReceiveID: the decrypted receive id is not the configured one.
	ErrReceiveID = errors.New("bot: receive id mismatch")
)

const (
	// padBlock is WeCom's PKCS#7 block: 32 bytes, not AES's 16.
	padBlock = 32
	// randomLen is the random prefix of every encrypted message.
	randomLen = 16
	// headerLen is random prefix plus the 4-byte big-endian length.
	headerLen = randomLen + 4
)

// Cipher is WeCom's message encryption for one callback configuration:
// AES-256-CBC with the key decoded from the EncodingAESKey, IV = key[:16],
// PKCS#7 padding to 32 bytes, and the framing
//
//	random[16] | len(msg) uint32 big-endian | msg | receive id
//
// A Cipher is safe for concurrent use if its entropy source is.
type Cipher struct {
	key       []byte
	block     cipher.Block
	receiveID string
	entropy   io.Reader
}

// NewCipher builds a Cipher from a 43-character EncodingAESKey and the
// receive id this side puts into what it encrypts (CorpID for an app, ""
// for robots). entropy supplies the 16 random bytes of each Encrypt; nil
// means crypto/rand.
func NewCipher(encodingAESKey, receiveID string, entropy io.Reader) (*Cipher, error) {
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("%w: want 43 characters, have %d", ErrBadAESKey, len(encodingAESKey))
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%w: not base64 of 32 bytes", ErrBadAESKey)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadAESKey, err)
	}
	if entropy == nil {
		entropy = rand.Reader
	}
	return &Cipher{key: key, block: block, receiveID: receiveID, entropy: entropy}, nil
}

// ReceiveID returns the receive id this Cipher was built with.
func (c *Cipher) ReceiveID() string { return c.receiveID }

// Encrypt frames plaintext with 16 fresh random bytes, its length and the
// receive id, pads, encrypts and returns standard base64 (with '=').
func (c *Cipher) Encrypt(plaintext []byte) (string, error) {
	return c.EncryptFor(plaintext, c.receiveID)
}

// EncryptFor is Encrypt with receiveID in the framing instead of the
// Cipher's own: a passive reply carries the receive id its request carried.
func (c *Cipher) EncryptFor(plaintext []byte, receiveID string) (string, error) {
	var random [randomLen]byte
	if _, err := io.ReadFull(c.entropy, random[:]); err != nil {
		return "", fmt.Errorf("bot: encrypt: reading entropy: %w", err)
	}
	if uint64(len(plaintext)) > 1<<32-1 {
		return "", fmt.Errorf("bot: encrypt: %w: message too large", ErrBadLength)
	}
	// silenceper's AESEncryptMsg lays out random | length | msg | receive
	// id, pads to 32 bytes and encrypts with IV = key[:16], also for the
	// empty receive id of robots (its decryption is the part that cannot
	// be reused; see Decrypt).
	return base64.StdEncoding.EncodeToString(util.AESEncryptMsg(random[:], plaintext, receiveID, c.key)), nil
}

// Decrypt reverses Encrypt: it returns the message and the receive id found
// in the plaintext, without comparing the id (see Open). Malformed input
// gives ErrBadBase64, ErrBadCiphertext, ErrBadPadding or ErrBadLength.
func (c *Cipher) Decrypt(b64 string) (msg []byte, receiveID string, err error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, "", fmt.Errorf("bot: decrypt: %w", ErrBadBase64)
	}
	if len(raw) < padBlock {
		return nil, "", fmt.Errorf("bot: decrypt: %w: %d bytes", ErrBadCiphertext, len(raw))
	}
	plain, err := c.decryptCBC(raw)
	if err != nil {
		return nil, "", fmt.Errorf("bot: decrypt: %w", err)
	}
	if len(plain) < headerLen {
		return nil, "", fmt.Errorf("bot: decrypt: %w: %d bytes after unpadding", ErrBadLength, len(plain))
	}
	n := uint64(binary.BigEndian.Uint32(plain[randomLen:headerLen]))
	rest := plain[headerLen:]
	if n > uint64(len(rest)) {
		return nil, "", fmt.Errorf("bot: decrypt: %w: %d > %d", ErrBadLength, n, len(rest))
	}
	return rest[:n:n], string(rest[n:]), nil
}

// Open decrypts b64 and, when the Cipher's receive id is non-empty, checks
// that the message carries the same one (ErrReceiveID otherwise).
func (c *Cipher) Open(b64 string) ([]byte, error) {
	msg, _, err := c.open(b64)
	return msg, err
}

// open is Open that also returns the receive id found in the message.
func (c *Cipher) open(b64 string) ([]byte, string, error) {
	msg, id, err := c.Decrypt(b64)
	if err != nil {
		return nil, "", err
	}
	if c.receiveID != "" && id != c.receiveID {
		return nil, "", fmt.Errorf("bot: decrypt: %w", ErrReceiveID)
	}
	return msg, id, nil
}

// DecryptBytes decrypts a file the intelligent robot hands out by URL
// (image and file messages): AES-256-CBC with the callback key, IV =
// key[:16], PKCS#7 padding to 32 bytes, no random prefix, length or
// receive id.
func (c *Cipher) DecryptBytes(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("bot: decrypt bytes: %w: empty", ErrBadCiphertext)
	}
	plain, err := c.decryptCBC(data)
	if err != nil {
		return nil, fmt.Errorf("bot: decrypt bytes: %w", err)
	}
	return plain, nil
}

// EncryptBytes is the inverse of DecryptBytes, for fakes and tests that
// serve encrypted media.
func (c *Cipher) EncryptBytes(data []byte) []byte {
	buf := pad(append([]byte(nil), data...))
	cipher.NewCBCEncrypter(c.block, c.key[:aes.BlockSize]).CryptBlocks(buf, buf)
	return buf
}

// decryptCBC decrypts a copy of raw and strips its padding.
func (c *Cipher) decryptCBC(raw []byte) ([]byte, error) {
	if len(raw)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: %d bytes is not a multiple of %d", ErrBadCiphertext, len(raw), aes.BlockSize)
	}
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(c.block, c.key[:aes.BlockSize]).CryptBlocks(plain, raw)
	return unpad(plain)
}

// pad appends PKCS#7 padding to a multiple of 32 bytes (1..32 bytes).
func pad(b []byte) []byte {
	n := padBlock - len(b)%padBlock
	for range n {
		b = append(b, byte(n))
	}
	return b
}

// unpad strips PKCS#7 padding of 1..32 bytes, checking every pad byte.
func unpad(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrBadPadding)
	}
	n := int(b[len(b)-1])
	if n == 0 || n > padBlock || n > len(b) {
		return nil, fmt.Errorf("%w: pad byte %d", ErrBadPadding, n)
	}
	for _, p := range b[len(b)-n:] {
		if int(p) != n {
			return nil, fmt.Errorf("%w: inconsistent pad bytes", ErrBadPadding)
		}
	}
	return b[:len(b)-n], nil
}
