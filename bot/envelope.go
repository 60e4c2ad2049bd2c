package bot

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Errors of the envelope layer.
var (
	// ErrBadToken: the callback token is empty.
	ErrBadToken = errors.New("bot: empty token")
	// ErrMissingParam: msg_signature, timestamp, nonce (or echostr on a
	// GET) is missing from the query.
	ErrMissingParam = errors.New("bot: missing query parameter")
	// ErrBadTimestamp: the timestamp is not a decimal number of seconds.
	ErrBadTimestamp = errors.New("bot: bad timestamp")
	// ErrBadSignature: msg_signature does not match.
	ErrBadSignature = errors.New("bot: bad signature")
	// ErrBadEnvelope: the outer XML/JSON is malformed or has no Encrypt.
	ErrBadEnvelope = errors.New("bot: bad envelope")
)

// Format is the wire format of a callback and of its passive reply.
type Format int

const (
	// FormatXML: robot (default) and app callbacks.
	FormatXML Format = iota
	// FormatJSON: intelligent-robot callbacks, and robot callbacks whose URL
	// carries robot_callback_format=json.
	FormatJSON
)

func (f Format) String() string {
	if f == FormatJSON {
		return "json"
	}
	return "xml"
}

// FormatOf returns the format of a callback on channel ch whose URL query
// is rawQuery: JSON for the intelligent robot, JSON for the group robot
// when robot_callback_format=json, XML otherwise.
func FormatOf(ch Channel, rawQuery string) Format {
	switch ch {
	case ChannelAibot:
		return FormatJSON
	case ChannelRobot:
		q, _ := url.ParseQuery(rawQuery)
		if strings.EqualFold(q.Get("robot_callback_format"), "json") {
			return FormatJSON
		}
	}
	return FormatXML
}

// Params are the signed query parameters of a callback. Other parameters
// (robot_callback_format, your own) are not part of the signature.
type Params struct {
	Signature string // msg_signature
	Timestamp string // Unix seconds, as sent (signed verbatim)
	Nonce     string
	EchoStr   string // GET only, query-decoded ('+' became ' ')

	echoPlus string // echostr percent-decoded with '+' kept
}

// ParseParams reads msg_signature, timestamp, nonce and echostr from a raw
// query. It fails with ErrMissingParam or ErrBadTimestamp; echostr is
// optional here (VerifyURL requires it).
func ParseParams(rawQuery string) (Params, error) {
	q, _ := url.ParseQuery(rawQuery) // keeps every well-formed pair
	p := Params{
		Signature: q.Get("msg_signature"),
		Timestamp: q.Get("timestamp"),
		Nonce:     q.Get("nonce"),
		EchoStr:   q.Get("echostr"),
	}
	for part := range strings.SplitSeq(rawQuery, "&") {
		if v, ok := strings.CutPrefix(part, "echostr="); ok {
			if s, err := url.PathUnescape(v); err == nil {
				p.echoPlus = s
			}
			break
		}
	}
	if p.Signature == "" || p.Timestamp == "" || p.Nonce == "" {
		return p, fmt.Errorf("bot: callback query: %w", ErrMissingParam)
	}
	if _, err := p.Time(); err != nil {
		return p, err
	}
	return p, nil
}

// Time returns the timestamp as a time, for freshness checks against the
// real clock.
func (p Params) Time() (time.Time, error) {
	s, err := parseUnix(p.Timestamp)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(s, 0), nil
}

// parseUnix accepts 1..12 decimal digits.
func parseUnix(s string) (int64, error) {
	if s == "" || len(s) > 12 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("bot: %w: %q", ErrBadTimestamp, s)
	}
	return strconv.ParseInt(s, 10, 64)
}

// Envelope is the outer wrapper of a callback request. Robots send only
// Encrypt; apps add ToUserName (CorpID) and AgentID.
type Envelope struct {
	ToUserName string
	AgentID    string
	Encrypt    string
}

type cdata struct {
	Text string `xml:",cdata"`
}

type xmlEnvelope struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName *cdata   `xml:"ToUserName,omitempty"`
	AgentID    *cdata   `xml:"AgentID,omitempty"`
	Encrypt    cdata    `xml:"Encrypt"`
}

type jsonEnvelope struct {
	Encrypt    string     `json:"encrypt"`
	ToUserName string     `json:"tousername,omitempty"`
	AgentID    flexString `json:"agentid,omitempty"`
}

// ParseEnvelope reads the outer wrapper of a callback request.
func ParseEnvelope(body []byte, f Format) (Envelope, error) {
	var e Envelope
	if f == FormatJSON {
		var j jsonEnvelope
		if err := json.Unmarshal(body, &j); err != nil {
			return e, fmt.Errorf("bot: envelope: %w: %v", ErrBadEnvelope, err)
		}
		e = Envelope{ToUserName: j.ToUserName, AgentID: string(j.AgentID), Encrypt: j.Encrypt}
	} else {
		var x xmlEnvelope
		if err := xml.Unmarshal(body, &x); err != nil {
			return e, fmt.Errorf("bot: envelope: %w: %v", ErrBadEnvelope, err)
		}
		e = Envelope{ToUserName: x.ToUserName.text(), AgentID: x.AgentID.text(), Encrypt: x.Encrypt.Text}
	}
	e.Encrypt = strings.TrimSpace(e.Encrypt)
	if e.Encrypt == "" {
		return e, fmt.Errorf("bot: envelope: %w: no Encrypt", ErrBadEnvelope)
	}
	return e, nil
}

// Marshal renders the request wrapper as WeCom sends it.
func (e Envelope) Marshal(f Format) []byte {
	if f == FormatJSON {
		b, _ := json.Marshal(jsonEnvelope{Encrypt: e.Encrypt, ToUserName: e.ToUserName, AgentID: flexString(e.AgentID)})
		return b
	}
	x := xmlEnvelope{Encrypt: cdata{e.Encrypt}}
	if e.ToUserName != "" {
		x.ToUserName = &cdata{e.ToUserName}
	}
	if e.AgentID != "" {
		x.AgentID = &cdata{e.AgentID}
	}
	b, _ := xml.Marshal(x)
	return b
}

func (c *cdata) text() string {
	if c == nil {
		return ""
	}
	return c.Text
}

// ReplyEnvelope is the outer wrapper of a passive reply.
type ReplyEnvelope struct {
	Encrypt      string
	MsgSignature string
	TimeStamp    string
	Nonce        string
}

type xmlReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata    `xml:"Encrypt"`
	MsgSignature cdata    `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        cdata    `xml:"Nonce"`
}

type jsonReply struct {
	Encrypt      string     `json:"encrypt"`
	MsgSignature string     `json:"msgsignature"`
	TimeStamp    flexString `json:"timestamp"`
	Nonce        string     `json:"nonce"`
}

// Marshal renders the reply wrapper: XML with CDATA, or JSON with a
// numeric timestamp (TimeStamp must be decimal digits).
func (r ReplyEnvelope) Marshal(f Format) ([]byte, error) {
	if _, err := parseUnix(r.TimeStamp); err != nil {
		return nil, fmt.Errorf("bot: reply envelope: %w", err)
	}
	if f == FormatJSON {
		return json.Marshal(struct {
			Encrypt      string      `json:"encrypt"`
			MsgSignature string      `json:"msgsignature"`
			TimeStamp    json.Number `json:"timestamp"`
			Nonce        string      `json:"nonce"`
		}{r.Encrypt, r.MsgSignature, json.Number(r.TimeStamp), r.Nonce})
	}
	return xml.Marshal(xmlReply{Encrypt: cdata{r.Encrypt}, MsgSignature: cdata{r.MsgSignature}, TimeStamp: r.TimeStamp, Nonce: cdata{r.Nonce}})
}

// ParseReplyEnvelope reads a passive reply wrapper (the WeCom side of the
// exchange: drivers and tests).
func ParseReplyEnvelope(body []byte, f Format) (ReplyEnvelope, error) {
	var r ReplyEnvelope
	if f == FormatJSON {
		var j jsonReply
		if err := json.Unmarshal(body, &j); err != nil {
			return r, fmt.Errorf("bot: reply envelope: %w: %v", ErrBadEnvelope, err)
		}
		r = ReplyEnvelope{Encrypt: j.Encrypt, MsgSignature: j.MsgSignature, TimeStamp: string(j.TimeStamp), Nonce: j.Nonce}
	} else {
		var x xmlReply
		if err := xml.Unmarshal(body, &x); err != nil {
			return r, fmt.Errorf("bot: reply envelope: %w: %v", ErrBadEnvelope, err)
		}
		r = ReplyEnvelope{Encrypt: x.Encrypt.Text, MsgSignature: x.MsgSignature.Text, TimeStamp: strings.TrimSpace(x.TimeStamp), Nonce: x.Nonce.Text}
	}
	if r.Encrypt == "" || r.MsgSignature == "" || r.TimeStamp == "" || r.Nonce == "" {
		return r, fmt.Errorf("bot: reply envelope: %w: missing field", ErrBadEnvelope)
	}
	return r, nil
}

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

// flexString decodes a JSON string or number (WeCom is not consistent
// about ids and timestamps) into its text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case string(b) == "null":
		*s = ""
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = flexString(n.String())
	}
	return nil
}
