package bot

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// The seeds below are also committed under testdata/fuzz/<Target>/ so a
// plain `go test` replays them; `go test -fuzz=<Target>` explores further.

func decryptSeeds() [][]byte {
	ex, _ := base64.StdEncoding.DecodeString(exEncrypt)
	off, _ := base64.StdEncoding.DecodeString(offEchoStr)
	return [][]byte{
		ex, off, []byte(exEchoStr), nil,
		framed(12, "hello wx-id!", 32, 32),         // chosen plaintext: valid framing
		framed(0xffffffff, "hello wx-id!", 32, 32), // length field overflow
		framed(12, "hello wx-id!", 0, 32),          // zero pad byte
		bytes.Repeat([]byte{16}, 32),               // too short once unpadded
	}
}

// FuzzDecrypt feeds arbitrary input to every decryption path: as a base64
// string, as a ciphertext, and as a chosen plaintext that is CBC-encrypted
// first (so unpadding and the length field see attacker-chosen bytes).
// Whatever succeeds must be self-consistent; nothing may panic.
func FuzzDecrypt(f *testing.F) {
	for _, s := range decryptSeeds() {
		f.Add(s)
	}
	key, _ := base64.StdEncoding.DecodeString(exAESKey + "=")
	block, _ := aes.NewCipher(key)
	c, err := NewCipher(exAESKey, "", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTyped := func(err error) {
			if err != nil && !errors.Is(err, ErrBadBase64) && !errors.Is(err, ErrBadCiphertext) &&
				!errors.Is(err, ErrBadPadding) && !errors.Is(err, ErrBadLength) {
				t.Fatalf("untyped error %v", err)
			}
		}
		_, _, err := c.Decrypt(string(data))
		checkTyped(err)
		_, _, err = c.Decrypt(base64.StdEncoding.EncodeToString(data))
		checkTyped(err)
		_, err = c.DecryptBytes(data)
		checkTyped(err)

		chosen := data[:len(data)/aes.BlockSize*aes.BlockSize]
		ct := make([]byte, len(chosen))
		cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(ct, chosen)
		msg, id, err := c.Decrypt(base64.StdEncoding.EncodeToString(ct))
		checkTyped(err)
		if err == nil && headerLen+len(msg)+len(id) > len(chosen) {
			t.Fatalf("decrypted %d+%d bytes from %d", len(msg), len(id), len(chosen))
		}
		if len(chosen) > 0 {
			if plain, err := c.DecryptBytes(ct); err == nil && !bytes.HasPrefix(chosen, plain) {
				t.Fatal("DecryptBytes is not a prefix of the plaintext")
			}
		}

		enc, err := c.Encrypt(data)
		if err != nil {
			t.Fatal(err)
		}
		back, id, err := c.Decrypt(enc)
		if err != nil || !bytes.Equal(back, data) || id != "" {
			t.Fatalf("round trip: %q %q %v", back, id, err)
		}
		if back, err := c.DecryptBytes(c.EncryptBytes(data)); err != nil || !bytes.Equal(back, data) {
			t.Fatalf("bytes round trip: %v", err)
		}
	})
}

func robotXMLSeeds() []string {
	return []string{
		exPlaintext,
		robotXMLMsg("group", `<MsgType>text</MsgType><Text><Content><![CDATA[@小火 上报 疏散演练]]></Content></Text>`),
		robotXMLMsg("single", `<MsgType>image</MsgType><Image><ImageUrl><![CDATA[https://img/1.jpg]]></ImageUrl></Image>`),
		robotXMLMsg("group", `<MsgType>mixed</MsgType><MixedMessage><MsgItem><MsgType>text</MsgType><Text><Content>x</Content></Text></MsgItem>`+
			`<MsgItem><MsgType>image</MsgType><Image><ImageUrl>u</ImageUrl></Image></MsgItem></MixedMessage>`),
		robotXMLMsg("group", `<MsgType>event</MsgType><Event><EventType>add_to_chat</EventType></Event>`),
		robotXMLMsg("group", `<MsgType>attachment</MsgType><Attachment><CallbackId>cb1</CallbackId><Actions><Name>b1</Name><Value>Y</Value><Type>button</Type></Actions></Attachment>`),
		`<xml><MsgType>text</MsgType></xml>`,
		`<xml><?xml version="1.0" encoding="GBK"?></xml>`,
		"<xml>\x00</xml>",
	}
}

func robotJSONSeeds() []string {
	return []string{
		robotJSONMsg("group", `"msgtype":"text","text":{"content":"@RemindBot 截止"}`),
		robotJSONMsg("single", `"msgtype":"mixed","mixed_message":{"msg_item":[{"msg_type":"text","text":{"content":"图"}},{"msg_type":"image","image":{"image_url":"u"}}]}`),
		robotJSONMsg("group", `"msgtype":"attachment","attachment":{"callbackid":"cb2","actions":[{"name":"b2","value":"N","type":"button"}]}`),
		robotJSONMsg("group", `"msgtype":"attachment","attachment":{"callbackid":"cb2","actions":{"name":"b2","value":"Y"}}`),
		robotJSONMsg("group", `"msgtype":"event","event":{"event_type":"delete_from_chat"}`),
		`{"msgid":1e400,"chatid":"c","msgtype":"text"}`,
		`{}`, `null`, `[]`,
	}
}

func aibotSeeds() []string {
	return []string{
		aibotMsg("group", `"msgtype":"text","text":{"content":"@RobotA hello robot"}`),
		aibotMsg("single", `"msgtype":"image","image":{"url":"https://ww/img"}`),
		aibotMsg("single", `"msgtype":"file","file":{"url":"https://ww/f"}`),
		aibotMsg("single", `"msgtype":"voice","voice":{"content":"上报"}`),
		aibotMsg("group", `"msgtype":"mixed","mixed":{"msg_item":[{"msgtype":"text","text":{"content":"@RobotA 照片"}},{"msgtype":"image","image":{"url":"u"}}]}`),
		`{"msgid":"A2","msgtype":"stream","stream":{"id":"s1"}}`,
		`{"msgid":"E1","create_time":1700000000,"chattype":"single","from":{"userid":"u"},"msgtype":"event","event":{"eventtype":"enter_chat"}}`,
		aibotMsg("single", `"msgtype":"event","event":{"eventtype":"template_card_event","template_card_event":{"card_type":"vote_interaction","event_key":"submit","task_id":"T1",`+
			`"selected_items":{"selected_item":[{"question_key":"q1","option_ids":{"option_id":["a",2]}}]}}}`),
		aibotMsg("single", `"msgtype":"event","event":{"eventtype":"feedback_event","feedback_event":{"id":"f1","type":2}}`),
	}
}

func appSeeds() []string {
	return []string{
		appCardEvent,
		appMsg(`<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 上报 ]]></Content><MsgId>7301234567890123456</MsgId>`),
		appMsg(`<MsgType>image</MsgType><PicUrl>https://p/1</PicUrl><MediaId>MID</MediaId><MsgId>2</MsgId>`),
		appMsg(`<MsgType>event</MsgType><Event>enter_agent</Event><EventKey></EventKey>`),
		appMsg(`<MsgType>event</MsgType><Event>template_card_menu_event</Event><EventKey>mute</EventKey><TaskId>t9</TaskId>`),
		`<xml><FromUserName>u</FromUserName><CreateTime>999999999999999</CreateTime><MsgType>event</MsgType><Event>x</Event></xml>`,
	}
}

// checkMessage asserts the invariants of a parsed Message and that a reply
// echoing its untrusted fields renders to well-formed XML/JSON.
func checkMessage(t *testing.T, m *Message, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrBadPayload) && !errors.Is(err, ErrMissingField) {
			t.Fatalf("untyped error %v", err)
		}
		return
	}
	if m.Channel == "" || m.Kind == "" || m.RawType == "" || m.DedupeKey == "" {
		t.Fatalf("incomplete message %+v", m)
	}
	if m.Kind == KindClick && m.Click == nil {
		t.Fatalf("click without Click: %+v", m)
	}
	r := Reply{Text: m.Text + m.RawText, Mentions: []string{m.SenderID}, VisibleTo: []string{m.SenderID}}
	for _, br := range []Reply{r, {Text: m.Text, Markdown: true, Buttons: []Button{{Text: m.SenderName, Value: "Y"}}}, {ReplaceButton: m.Text}} {
		passive, _ := SplitReply(m, br)
		out, err := (Renderer{}).Render(m, passive)
		if err != nil {
			continue // e.g. label rules; never a panic
		}
		if len(out) == 0 {
			continue
		}
		if m.Format == FormatJSON {
			if !json.Valid(out) {
				t.Fatalf("invalid JSON reply %q", out)
			}
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(out))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("ill-formed XML reply %q: %v", out, err)
			}
		}
	}
}

func FuzzParseRobotXML(f *testing.F) {
	for _, s := range robotXMLSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseRobot(b, FormatXML, "RemindBot")
		checkMessage(t, m, err)
	})
}

func FuzzParseRobotJSON(f *testing.F) {
	for _, s := range robotJSONSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseRobot(b, FormatJSON, "RemindBot")
		checkMessage(t, m, err)
	})
}

func FuzzParseAibot(f *testing.F) {
	for _, s := range aibotSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseAibot(b, "RobotA")
		checkMessage(t, m, err)
	})
}

func FuzzParseApp(f *testing.F) {
	for _, s := range appSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseApp(b)
		checkMessage(t, m, err)
	})
}
