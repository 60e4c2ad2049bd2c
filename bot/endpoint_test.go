package bot_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"

	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"firebot/bot"
	"firebot/clock"
	"firebot/store"
	"firebot/store/embedded"
)

const (
	testToken  = "QwBotTestToken"
	testAESKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
)

// fixture is one endpoint on loopback, with WeCom's side of the codec.
type fixture struct {
	t       *testing.T
	srv     *httptest.Server
	opts    bot.EndpointOptions // what ep was built with
	ep      *bot.Endpoint
	wecom   *bot.Codec // plays WeCom
	st      *flakyStore
	real    *clock.Fake
	calls   atomic.Int64
	pushed  chan bot.Reply
	release chan struct{} // when non-nil the handler waits on it
}

// flakyStore wraps a real store and can be switched off, as if the disk or
// the network were gone.
type flakyStore struct {
	store.Store
	down atomic.Bool
}

var errDown = fmt.Errorf("disk gone: %w", store.ErrUnavailable)

func (f *flakyStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	if f.down.Load() {
		return errDown
	}
	return f.Store.Update(ctx, fn)
}

func (f *flakyStore) View(ctx context.Context, fn func(store.Tx) error) error {
	if f.down.Load() {
		return errDown
	}
	return f.Store.View(ctx, fn)
}

type pushFunc func(tx store.Tx, m *bot.Message, r bot.Reply) error

func (f pushFunc) PushReply(tx store.Tx, m *bot.Message, r bot.Reply) error { return f(tx, m, r) }

func newFixture(t *testing.T, ch bot.Channel, receiveID string) *fixture {
	t.Helper()
	real := clock.NewFake(time.Unix(1700000000, 0))
	es, err := embedded.Open(filepath.Join(t.TempDir(), "f.db"), embedded.Options{Real: real})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { es.Close() })
	f := &fixture{t: t, st: &flakyStore{Store: es}, real: real, pushed: make(chan bot.Reply, 8)}
	codec, err := bot.NewCodec(testToken, testAESKey, receiveID, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.wecom, _ = bot.NewCodec(testToken, testAESKey, receiveID, nil)
	f.opts = bot.EndpointOptions{
		Channel:   ch,
		Codec:     codec,
		RobotName: "RemindBot",
		Memory:    store.Callbacks{Store: f.st},
		Real:      real,
		Budget:    time.Second,
		Handler: bot.HandlerFunc(func(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
			if f.release != nil {
				<-f.release
			}
			f.calls.Add(1)
			if err := tx.Put("effects", m.MsgID, []byte(m.Text)); err != nil {
				return bot.NoReply, err
			}
			return bot.Reply{Text: "收到：" + m.Text}, nil
		}),
		Pusher: pushFunc(func(tx store.Tx, m *bot.Message, r bot.Reply) error {
			if err := tx.Put("pushes", m.MsgID, []byte(r.Text)); err != nil {
				return err
			}
			f.pushed <- r
			return nil
		}),
	}
	f.ep = bot.NewEndpoint(f.opts)
	f.srv = httptest.NewServer(f.ep)
	t.Cleanup(func() { f.srv.Close() })
	return f
}

// rebuild serves an endpoint built with f.opts changed by change, on a new
// server; call it before the first request.
func (f *fixture) rebuild(change func(o *bot.EndpointOptions)) {
	change(&f.opts)
	f.ep = bot.NewEndpoint(f.opts)
	f.srv.Close()
	f.srv = httptest.NewServer(f.ep)
}

func robotText(msgID, text string) []byte {
	return []byte(`<xml><WebhookUrl><![CDATA[https://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-` + msgID + `]]></WebhookUrl>` +
		`<MsgId><![CDATA[` + msgID + `]]></MsgId><ChatId><![CDATA[wrkCHAT]]></ChatId><ChatType>group</ChatType>` +
		`<From><UserId>zhangsan</UserId><Name><![CDATA[张三]]></Name></From><MsgType>text</MsgType>` +
		`<Text><Content><![CDATA[@RemindBot ` + text + `]]></Content></Text></xml>`)
}

type request struct {
	query string
	body  []byte
}

// seal builds a signed request like WeCom at the fake real clock's time.
func (f *fixture) seal(plaintext []byte, nonce string) request {
	ts := strconv.FormatInt(f.real.Now().Unix(), 10)
	q, body, err := f.wecom.SealRequest(plaintext, ts, nonce, bot.Envelope{}, bot.FormatXML)
	if err != nil {
		f.t.Fatal(err)
	}
	return request{query: q.Encode(), body: body}
}

func (f *fixture) post(r request) (int, []byte) {
	resp, err := http.Post(f.srv.URL+"/?"+r.query, "application/xml", bytes.NewReader(r.body))
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// open decrypts a passive reply as WeCom would.
func (f *fixture) open(body []byte) string {
	f.t.Helper()
	if len(body) == 0 {
		return ""
	}
	pt, _, err := f.wecom.OpenReply(body, bot.FormatXML)
	if err != nil {
		f.t.Fatalf("open reply: %v (%s)", err, body)
	}
	return string(pt)
}

func (f *fixture) stored(bucket, key string) bool {
	found := false
	err := f.st.Store.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.Get(bucket, key)
		found = err == nil
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return found
}

func TestTextCallbackRepliesEncrypted(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	status, body := f.post(f.seal(robotText("M1", "帮助"), "n1"))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := f.open(body)
	if !strings.Contains(got, "收到：帮助") {
		t.Fatalf("reply %q lacks the answer", got)
	}
	if !f.stored("effects", "M1") {
		t.Fatal("handler effects not committed")
	}
}

func TestResendsAnsweredOnce(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		t.Run(fmt.Sprintf("concurrent=%v", concurrent), func(t *testing.T) {
			f := newFixture(t, bot.ChannelRobot, "")
			req := f.seal(robotText("M2", "进度"), "n2")
			replies := make([]string, 3)
			var wg sync.WaitGroup
			for i := range replies {
				do := func() {
					status, body := f.post(req)
					if status != http.StatusOK {
						t.Errorf("attempt %d: status %d", i, status)
					}
					replies[i] = f.open(body)
				}
				if concurrent {
					wg.Add(1)
					go func() { defer wg.Done(); do() }()
				} else {
					do()
				}
			}
			wg.Wait()
			if n := f.calls.Load(); n != 1 {
				t.Fatalf("handler ran %d times, want 1", n)
			}
			for i, r := range replies {
				if r == "" || r != replies[0] {
					t.Fatalf("reply %d = %q, want %q", i, r, replies[0])
				}
			}
		})
	}
}

func TestRejections(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	good := f.seal(robotText("M3", "帮助"), "n3")
	cases := []struct {
		name   string
		req    func() request
		status int
	}{
		{"forged signature", func() request {
			r := good
			r.query = strings.Replace(r.query, "msg_signature=", "msg_signature=0", 1)
			return r
		}, 400},
		{"stale timestamp", func() request {
			ts := strconv.FormatInt(f.real.Now().Add(-11*time.Minute).Unix(), 10)
			q, b, _ := f.wecom.SealRequest(robotText("M4", "x"), ts, "n4", bot.Envelope{}, bot.FormatXML)
			return request{q.Encode(), b}
		}, 400},
		{"bad base64", func() request { return f.rawEncrypt("%%%not-base64%%%", "n5") }, 400},
		{"truncated ciphertext", func() request { return f.rawEncrypt("AAECAwQFBgcICQoLDA0ODw==", "n6") }, 400},
		{"bad padding", func() request { return f.rawEncrypt(rawCBC(t, bytes.Repeat([]byte{7}, 64), 0), "n11") }, 400},
		{"length field larger than the plaintext", func() request {
			plain := append(bytes.Repeat([]byte("r"), 16), 0, 0, 0xff, 0xff)
			return f.rawEncrypt(rawCBC(t, append(plain, "<xml/>"...), 32), "n12")
		}, 400},
		{"malformed xml", func() request { return f.seal([]byte("<xml><MsgType>text</MsgType"), "n7") }, 400},
		{"missing chat id", func() request { return f.seal([]byte("<xml><MsgId>M8</MsgId><MsgType>text</MsgType></xml>"), "n8") }, 400},
		{"oversized", func() request { return request{good.query, bytes.Repeat([]byte("a"), 100<<10)} }, 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, _ := f.post(c.req())
			if status != c.status {
				t.Fatalf("status %d, want %d", status, c.status)
			}
		})
	}
	resp, err := http.Get(f.srv.URL + "/?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("GET without params: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPut, f.srv.URL, nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Fatalf("PUT: %d, want 405", resp.StatusCode)
	}
	if n := f.calls.Load(); n != 0 {
		t.Fatalf("handler ran %d times for rejected requests", n)
	}
	// Nothing is stored for a rejection: the good request's pair is still
	// fresh and its message unprocessed.
	if f.stored("effects", "M3") {
		t.Fatal("a rejected request left effects")
	}
	if status, _ := f.post(good); status != 200 {
		t.Fatalf("the valid request after the rejections: %d", status)
	}
}

// rawCBC encrypts data with the test key (IV = key[:16]) and returns the
// base64 Encrypt value. pad > 0 appends correct PKCS#7 padding to a
// multiple of pad; 0 appends none (data must then fill whole blocks, and
// its last byte is read as the padding length).
func rawCBC(t *testing.T, data []byte, pad int) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(testAESKey + "=")
	if err != nil {
		t.Fatal(err)
	}
	if pad > 0 {
		n := pad - len(data)%pad
		data = append(data, bytes.Repeat([]byte{byte(n)}, n)...)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, data)
	return base64.StdEncoding.EncodeToString(out)
}

// rawEncrypt signs an arbitrary Encrypt value.
func (f *fixture) rawEncrypt(enc, nonce string) request {
	ts := strconv.FormatInt(f.real.Now().Unix(), 10)
	sig := f.wecom.Sign(ts, nonce, enc)
	q := "msg_signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce
	return request{q, []byte("<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>")}
}

func TestReplayWithOtherBodyRefused(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	if status, _ := f.post(f.seal(robotText("M10", "帮助"), "same")); status != 200 {
		t.Fatalf("first: %d", status)
	}
	status, _ := f.post(f.seal(robotText("M11", "撤回 HD-0001"), "same"))
	if status != 400 {
		t.Fatalf("replayed pair with another body: %d, want 400", status)
	}
	if f.stored("effects", "M11") {
		t.Fatal("replay left effects behind")
	}
}

func TestWrongReceiveIDRefused(t *testing.T) {
	f := newFixture(t, bot.ChannelApp, "ww_corp")
	other, _ := bot.NewCodec(testToken, testAESKey, "ww_other", nil)
	ts := strconv.FormatInt(f.real.Now().Unix(), 10)
	pt := []byte(`<xml><ToUserName><![CDATA[ww_other]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>9</MsgId><AgentID>1000002</AgentID></xml>`)
	q, body, _ := other.SealRequest(pt, ts, "n9", bot.Envelope{ToUserName: "ww_other", AgentID: "1000002"}, bot.FormatXML)
	status, _ := f.post(request{q.Encode(), body})
	if status != 400 {
		t.Fatalf("status %d, want 400", status)
	}
}

func TestStoreDownBusyThenRecovers(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	f.st.down.Store(true)
	status, body := f.post(f.seal(robotText("M20", "上报"), "n20"))
	if status != 200 || !strings.Contains(f.open(body), bot.BusyText) {
		t.Fatalf("store down: status %d reply %q", status, f.open(body))
	}
	f.st.down.Store(false)
	if f.stored("effects", "M20") {
		t.Fatal("a message was recorded while the store was down")
	}
	status, body = f.post(f.seal(robotText("M20", "上报"), "n21"))
	if status != 200 || !strings.Contains(f.open(body), "收到：上报") {
		t.Fatalf("store back: status %d reply %q", status, f.open(body))
	}
}

func TestSlowHandlerAnswerIsPushed(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	f.rebuild(func(o *bot.EndpointOptions) { o.Budget = 20 * time.Millisecond }) // real timer: the budget is wall time
	f.release = make(chan struct{})
	status, body := f.post(f.seal(robotText("M30", "导出"), "n30"))
	if status != 200 || len(body) != 0 {
		t.Fatalf("over budget: status %d body %q, want 200 empty", status, body)
	}
	close(f.release)
	select {
	case r := <-f.pushed:
		if r.Text != "收到：导出" {
			t.Fatalf("pushed %q", r.Text)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("answer never pushed")
	}
	// A re-send now gets the same (empty) answer, and nothing runs twice.
	status, body = f.post(f.seal(robotText("M30", "导出"), "n30"))
	if status != 200 || len(body) != 0 || f.calls.Load() != 1 {
		t.Fatalf("re-send after push: status %d body %q calls %d", status, body, f.calls.Load())
	}
}

func TestEndpointVerifyURL(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	f.real.Set(time.Unix(1700000000, 0))
	// The worked example of the protocol notes (§8.3).
	q := "msg_signature=55459727f46c95175d6851229daa890dbb70d653&timestamp=1700000000&nonce=1234567890" +
		"&echostr=4j%2FAuRx71kQlxVlzbpsMWNy3n%2FPn35SYLfBk%2B4%2BY41gV8boWrQGM41U%2Fg7rg59a2BwQkawLCtGMHhfJdflRz9Q%3D%3D"
	resp, err := http.Get(f.srv.URL + "/?" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(b) != "7049213356270158873" {
		t.Fatalf("verify: %d %q", resp.StatusCode, b)
	}
}

// A robot callback that carries a receive id (the CorpID convention some
// deployments use) is answered under that id, not the configured "".
func TestPassiveReplyUsesRequestReceiveID(t *testing.T) {
	f := newFixture(t, bot.ChannelRobot, "")
	corp, _ := bot.NewCodec(testToken, testAESKey, "ww_corp", nil)
	ts := strconv.FormatInt(f.real.Now().Unix(), 10)
	q, body, err := corp.SealRequest(robotText("M40", "帮助"), ts, "n40", bot.Envelope{}, bot.FormatXML)
	if err != nil {
		t.Fatal(err)
	}
	status, reply := f.post(request{q.Encode(), body})
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	pt, _, err := corp.OpenReply(reply, bot.FormatXML) // requires receive id "ww_corp" exactly
	if err != nil || !strings.Contains(string(pt), "收到：帮助") {
		t.Fatalf("reply under the request's receive id: %v %q", err, pt)
	}
	if _, _, err := f.wecom.OpenReply(reply, bot.FormatXML); err == nil {
		t.Fatal("the reply was sealed with the configured receive id, not the request's")
	}
}
