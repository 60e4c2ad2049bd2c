package bot

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newTestCodec(t *testing.T, token, key, receiveID, random string) *Codec {
	t.Helper()
	var c *Codec
	var err error
	if random != "" {
		c, err = NewCodec(token, key, receiveID, strings.NewReader(random))
	} else {
		c, err = NewCodec(token, key, receiveID, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pct percent-encodes an echostr the way WeCom's examples do.
func pct(s string) string { return url.QueryEscape(s) }

func TestVerifyURL(t *testing.T) {
	ex := newTestCodec(t, exToken, exAESKey, "", "")
	off := newTestCodec(t, offToken, offAESKey, offReceiveID, "")
	offNoID := newTestCodec(t, offToken, offAESKey, "", "")
	q := func(sig, ts, nonce, echo string) string {
		return "msg_signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce + "&echostr=" + echo
	}
	tests := []struct {
		name    string
		codec   *Codec
		query   string
		want    string
		wantErr error
	}{
		{"8.3 percent-encoded", ex, q(exEchoSignature, exTimestamp, exNonce, pct(exEchoStr)), exEcho, nil},
		{"8.3 raw plus kept", ex, q(exEchoSignature, exTimestamp, exNonce, exEchoStr), exEcho, nil},
		{"8.4 official app", off, q(offSignature, offTimestamp, offNonce, pct(offEchoStr)), offEcho, nil},
		{"8.4 raw plus, id unchecked", offNoID, q(offSignature, offTimestamp, offNonce, offEchoStr), offEcho, nil},
		{"extra params ignored", ex, q(exEchoSignature, exTimestamp, exNonce, pct(exEchoStr)) + "&robot_callback_format=json", exEcho, nil},
		{"forged signature", ex, q(strings.Repeat("0", 40), exTimestamp, exNonce, pct(exEchoStr)), "", ErrBadSignature},
		{"other timestamp", ex, q(exEchoSignature, "1700000001", exNonce, pct(exEchoStr)), "", ErrBadSignature},
		{"wrong corp id", newTestCodec(t, offToken, offAESKey, "wwOTHER", ""), q(offSignature, offTimestamp, offNonce, pct(offEchoStr)), "", ErrReceiveID},
		{"no echostr", ex, "msg_signature=" + exEchoSignature + "&timestamp=" + exTimestamp + "&nonce=" + exNonce, "", ErrMissingParam},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseParams(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.codec.VerifyURL(p)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("echo = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		name, query string
		wantErr     error
	}{
		{"ok", "msg_signature=ab&timestamp=1700000000&nonce=n", nil},
		{"no signature", "timestamp=1700000000&nonce=n", ErrMissingParam},
		{"no timestamp", "msg_signature=ab&nonce=n", ErrMissingParam},
		{"no nonce", "msg_signature=ab&timestamp=1700000000", ErrMissingParam},
		{"letters in timestamp", "msg_signature=ab&timestamp=17e8&nonce=n", ErrBadTimestamp},
		{"negative timestamp", "msg_signature=ab&timestamp=-1&nonce=n", ErrBadTimestamp},
		{"huge timestamp", "msg_signature=ab&timestamp=99999999999999999999&nonce=n", ErrBadTimestamp},
		{"bad escape elsewhere", "msg_signature=ab&timestamp=1700000000&nonce=n&x=%zz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseParams(tt.query)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				if ts, _ := p.Time(); !ts.Equal(time.Unix(1700000000, 0)) {
					t.Errorf("Time = %v", ts)
				}
			}
		})
	}
}

func TestOpenWorkedExample(t *testing.T) {
	c := newTestCodec(t, exToken, exAESKey, "", "")
	p, err := ParseParams("msg_signature=" + exSignature + "&timestamp=" + exTimestamp + "&nonce=" + exNonce)
	if err != nil {
		t.Fatal(err)
	}
	xmlBody := []byte("<xml><Encrypt><![CDATA[" + exEncrypt + "]]></Encrypt></xml>")
	jsonBody := []byte(`{"encrypt":"` + exEncrypt + `"}`)
	appBody := []byte("<xml><ToUserName><![CDATA[ww_corp]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[" + exEncrypt + "]]></Encrypt></xml>")
	tests := []struct {
		name    string
		p       Params
		body    []byte
		f       Format
		wantErr error
	}{
		{"xml", p, xmlBody, FormatXML, nil},
		{"json", p, jsonBody, FormatJSON, nil},
		{"app envelope", p, appBody, FormatXML, nil},
		{"forged signature", Params{Signature: exEchoSignature, Timestamp: exTimestamp, Nonce: exNonce}, xmlBody, FormatXML, ErrBadSignature},
		{"other nonce", Params{Signature: exSignature, Timestamp: exTimestamp, Nonce: "1234567891"}, xmlBody, FormatXML, ErrBadSignature},
		{"json sent as xml", p, jsonBody, FormatXML, ErrBadEnvelope},
		{"xml sent as json", p, xmlBody, FormatJSON, ErrBadEnvelope},
		{"no Encrypt", p, []byte("<xml><ToUserName>x</ToUserName></xml>"), FormatXML, ErrBadEnvelope},
		{"wrong root", p, []byte("<foo><Encrypt>" + exEncrypt + "</Encrypt></foo>"), FormatXML, ErrBadEnvelope},
		{"truncated xml", p, xmlBody[:40], FormatXML, ErrBadEnvelope},
		{"empty body", p, nil, FormatJSON, ErrBadEnvelope},
		{"encrypt not a string", p, []byte(`{"encrypt":42}`), FormatJSON, ErrBadEnvelope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Open(tt.p, tt.body, tt.f)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && string(got) != exPlaintext {
				t.Errorf("plaintext = %q", got)
			}
		})
	}
}

func TestOpenSignedGarbage(t *testing.T) {
	// Correctly signed but undecryptable: each malformed class surfaces.
	c := newTestCodec(t, exToken, exAESKey, "", "")
	for name, tt := range map[string]struct {
		enc  string
		want error
	}{
		"bad base64":           {"@@@@", ErrBadBase64},
		"truncated ciphertext": {exEncrypt[:64], ErrBadPadding},
		"short ciphertext":     {exEncrypt[:24], ErrBadCiphertext},
	} {
		t.Run(name, func(t *testing.T) {
			p := Params{Signature: Signature(exToken, exTimestamp, exNonce, tt.enc), Timestamp: exTimestamp, Nonce: exNonce}
			body := Envelope{Encrypt: tt.enc}.Marshal(FormatXML)
			if _, err := c.Open(p, body, FormatXML); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSealWorkedExample(t *testing.T) {
	c := newTestCodec(t, exToken, exAESKey, "", exReplyRandom+exReplyRandom)
	got, err := c.Seal([]byte(exReplyPlaintext), exTimestamp, exNonce, FormatXML)
	if err != nil {
		t.Fatal(err)
	}
	want := "<xml><Encrypt><![CDATA[" + exReplyEncrypt + "]]></Encrypt><MsgSignature><![CDATA[" + exReplySignature +
		"]]></MsgSignature><TimeStamp>1700000000</TimeStamp><Nonce><![CDATA[1234567890]]></Nonce></xml>"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("XML reply (-want +got):\n%s", diff)
	}
	got, err = c.Seal([]byte(exReplyPlaintext), exTimestamp, exNonce, FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	want = `{"encrypt":"` + exReplyEncrypt + `","msgsignature":"` + exReplySignature + `","timestamp":1700000000,"nonce":"1234567890"}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("JSON reply (-want +got):\n%s", diff)
	}
	if _, err := c.Seal([]byte("x"), "soon", exNonce, FormatJSON); !errors.Is(err, ErrBadTimestamp) {
		t.Errorf("non-numeric timestamp: err = %v", err)
	}
}

func TestRequestReplyRoundTrip(t *testing.T) {
	for _, f := range []Format{FormatXML, FormatJSON} {
		for _, id := range []string{"", offReceiveID} {
			t.Run(f.String()+"/"+id, func(t *testing.T) {
				wecom := newTestCodec(t, offToken, offAESKey, id, "")
				bot := newTestCodec(t, offToken, offAESKey, id, "")
				env := Envelope{ToUserName: id, AgentID: "1000002"}
				q, body, err := wecom.SealRequest([]byte("<xml>hi</xml>"), "1700000000", "n1", env, f)
				if err != nil {
					t.Fatal(err)
				}
				p, err := ParseParams(q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				got, err := bot.Open(p, body, f)
				if err != nil || string(got) != "<xml>hi</xml>" {
					t.Fatalf("Open = %q, %v", got, err)
				}
				parsed, err := ParseEnvelope(body, f)
				if err != nil || parsed.ToUserName != id || parsed.AgentID != "1000002" {
					t.Errorf("envelope = %+v, %v", parsed, err)
				}
				sealed, err := bot.Seal([]byte("reply"), p.Timestamp, p.Nonce, f)
				if err != nil {
					t.Fatal(err)
				}
				plain, env2, err := wecom.OpenReply(sealed, f)
				if err != nil || string(plain) != "reply" || env2.TimeStamp != "1700000000" || env2.Nonce != "n1" {
					t.Fatalf("OpenReply = %q %+v %v", plain, env2, err)
				}
			})
		}
	}
}

func TestOpenReplyRejects(t *testing.T) {
	bot := newTestCodec(t, exToken, exAESKey, "", "")
	sealed, _ := bot.Seal([]byte("reply"), exTimestamp, exNonce, FormatXML)
	tests := []struct {
		name    string
		codec   *Codec
		body    string
		wantErr error
	}{
		{"other token", newTestCodec(t, "other", exAESKey, "", ""), string(sealed), ErrBadSignature},
		{"receive id expected", newTestCodec(t, exToken, exAESKey, "wwcorp", ""), string(sealed), ErrReceiveID},
		{"tampered nonce", bot, strings.Replace(string(sealed), exNonce, "1234567891", 1), ErrBadSignature},
		{"missing signature", bot, "<xml><Encrypt>x</Encrypt><TimeStamp>1</TimeStamp><Nonce>n</Nonce></xml>", ErrBadEnvelope},
		{"not xml", bot, "success", ErrBadEnvelope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := tt.codec.OpenReply([]byte(tt.body), FormatXML); !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestNewCodecErrors(t *testing.T) {
	if _, err := NewCodec("", exAESKey, "", nil); !errors.Is(err, ErrBadToken) {
		t.Errorf("empty token: %v", err)
	}
	if _, err := NewCodec(exToken, "short", "", nil); !errors.Is(err, ErrBadAESKey) {
		t.Errorf("short key: %v", err)
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		ch    Channel
		query string
		want  Format
	}{
		{ChannelRobot, "msg_signature=a&timestamp=1&nonce=2", FormatXML},
		{ChannelRobot, "robot_callback_format=json&msg_signature=a", FormatJSON},
		{ChannelRobot, "robot_callback_format=xml", FormatXML},
		{ChannelAibot, "", FormatJSON},
		{ChannelApp, "robot_callback_format=json", FormatXML},
	}
	for _, tt := range tests {
		if got := FormatOf(tt.ch, tt.query); got != tt.want {
			t.Errorf("FormatOf(%s, %q) = %v, want %v", tt.ch, tt.query, got, tt.want)
		}
	}
}
