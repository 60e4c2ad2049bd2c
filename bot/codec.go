package bot

import (
	"fmt"
	"io"
	"net/url"
)

// Codec is one callback configuration (token, EncodingAESKey, receive id)
// put to work: it answers URL verification, opens requests and seals
// passive replies. Tests and drivers use the mirror methods SealRequest
// and OpenReply to play WeCom.
type Codec struct {
	token  string
	cipher *Cipher
}

// NewCodec builds a Codec. receiveID is the CorpID for an app and "" for
// robots; when non-empty, opened messages must carry it. entropy feeds the
// random prefix of sealed messages (nil: crypto/rand).
func NewCodec(token, encodingAESKey, receiveID string, entropy io.Reader) (*Codec, error) {
	if token == "" {
		return nil, ErrBadToken
	}
	c, err := NewCipher(encodingAESKey, receiveID, entropy)
	if err != nil {
		return nil, err
	}
	return &Codec{token: token, cipher: c}, nil
}

// Cipher returns the underlying Cipher (for DecryptBytes of media).
func (c *Codec) Cipher() *Cipher { return c.cipher }

// Sign computes the signature of data under this Codec's token.
func (c *Codec) Sign(timestamp, nonce, data string) string {
	return Signature(c.token, timestamp, nonce, data)
}

// VerifyURL answers a GET verification: it checks the signature over
// echostr and returns the decrypted echo, to be written back bare with
// status 200. A raw '+' in echostr is read as a space by query decoding;
// when that fails to verify, the value with '+' kept is tried.
func (c *Codec) VerifyURL(p Params) ([]byte, error) {
	if p.EchoStr == "" && p.echoPlus == "" {
		return nil, fmt.Errorf("bot: verify url: %w: echostr", ErrMissingParam)
	}
	for _, echo := range []string{p.EchoStr, p.echoPlus} {
		if echo != "" && VerifySignature(c.token, p.Timestamp, p.Nonce, echo, p.Signature) {
			msg, err := c.cipher.Open(echo)
			if err != nil {
				return nil, fmt.Errorf("bot: verify url: %w", err)
			}
			return msg, nil
		}
	}
	return nil, fmt.Errorf("bot: verify url: %w", ErrBadSignature)
}

// Open reads the envelope of a callback POST, verifies its signature and
// returns the decrypted plaintext (checking the receive id when set).
func (c *Codec) Open(p Params, body []byte, f Format) ([]byte, error) {
	msg, _, err := c.OpenFrom(p, body, f)
	return msg, err
}

// OpenFrom is Open that also returns the receive id the request carried,
// for SealTo.
func (c *Codec) OpenFrom(p Params, body []byte, f Format) (plaintext []byte, receiveID string, err error) {
	env, err := ParseEnvelope(body, f)
	if err != nil {
		return nil, "", err
	}
	if !VerifySignature(c.token, p.Timestamp, p.Nonce, env.Encrypt, p.Signature) {
		return nil, "", fmt.Errorf("bot: open: %w", ErrBadSignature)
	}
	msg, id, err := c.cipher.open(env.Encrypt)
	if err != nil {
		return nil, "", fmt.Errorf("bot: open: %w", err)
	}
	return msg, id, nil
}

// Seal encrypts a passive reply plaintext and wraps it, signed with the
// callback's own timestamp and nonce (which satisfies both WeCom
// documents; see the protocol notes). The configured receive id goes into
// the framing; SealTo uses the request's.
func (c *Codec) Seal(plaintext []byte, timestamp, nonce string, f Format) ([]byte, error) {
	return c.SealTo(plaintext, c.cipher.receiveID, timestamp, nonce, f)
}

// SealTo is Seal with receiveID in the framing: the one found in the
// request (OpenFrom), which is right under either convention of the robots'
// receive id ("" or the CorpID; see the protocol notes).
func (c *Codec) SealTo(plaintext []byte, receiveID, timestamp, nonce string, f Format) ([]byte, error) {
	if _, err := parseUnix(timestamp); err != nil {
		return nil, fmt.Errorf("bot: seal: %w", err)
	}
	enc, err := c.cipher.EncryptFor(plaintext, receiveID)
	if err != nil {
		return nil, err
	}
	r := ReplyEnvelope{Encrypt: enc, MsgSignature: c.Sign(timestamp, nonce, enc), TimeStamp: timestamp, Nonce: nonce}
	return r.Marshal(f)
}

// SealRequest plays WeCom: it encrypts a callback plaintext and returns the
// signed query (msg_signature, timestamp, nonce) and the request body.
// env supplies ToUserName/AgentID for app envelopes; its Encrypt is
// ignored.
func (c *Codec) SealRequest(plaintext []byte, timestamp, nonce string, env Envelope, f Format) (url.Values, []byte, error) {
	enc, err := c.cipher.Encrypt(plaintext)
	if err != nil {
		return nil, nil, err
	}
	env.Encrypt = enc
	q := url.Values{
		"msg_signature": {c.Sign(timestamp, nonce, enc)},
		"timestamp":     {timestamp},
		"nonce":         {nonce},
	}
	return q, env.Marshal(f), nil
}

// OpenReply plays WeCom receiving a passive reply: it parses the wrapper,
// verifies the signature against the reply's own timestamp and nonce,
// decrypts, and requires the receive id to equal this Codec's exactly.
func (c *Codec) OpenReply(body []byte, f Format) ([]byte, ReplyEnvelope, error) {
	r, err := ParseReplyEnvelope(body, f)
	if err != nil {
		return nil, r, err
	}
	if !VerifySignature(c.token, r.TimeStamp, r.Nonce, r.Encrypt, r.MsgSignature) {
		return nil, r, fmt.Errorf("bot: open reply: %w", ErrBadSignature)
	}
	msg, id, err := c.cipher.Decrypt(r.Encrypt)
	if err != nil {
		return nil, r, fmt.Errorf("bot: open reply: %w", err)
	}
	if id != c.cipher.receiveID {
		return nil, r, fmt.Errorf("bot: open reply: %w", ErrReceiveID)
	}
	return msg, r, nil
}
