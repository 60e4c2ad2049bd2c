package bot

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
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
