package fakewecom

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"firebot/clock"
)

// Defaults.
const (
	DefaultCorpID             = "wwfakecorp0001"
	DefaultSecret             = "fake-corp-secret"
	DefaultAgentID            = 1000002
	DefaultTokenTTL           = 7200 * time.Second
	DefaultPublicBaseURL      = "https://qyapi.weixin.qq.com"
	DefaultWebhookPerMinute   = 20
	DefaultRecipientPerMinute = 30
	DefaultChatMemberPerMin   = 200

	// Validity windows WeCom documents.
	MediaTTL           = 72 * time.Hour
	CardCodeTTL        = 72 * time.Hour
	ResponseURLTTL     = time.Hour
	ChatInfoURLTTL     = 5 * time.Minute
	RateWindow         = time.Minute
	maxRequestBody     = 25 << 20
	defaultDupInterval = 1800
	maxDupInterval     = 4 * 3600
)

// Options configure a Server. Zero values take the defaults above.
type Options struct {
	CorpID  string
	Secret  string
	AgentID int64
	// TokenTTL is the expires_in handed out by gettoken.
	TokenTTL time.Duration
	// Real is the clock for token expiry, rate windows, media and code
	// validity (use clock.NewFake in tests).
	Real clock.Clock
	// Users are the known userids (also AddUser).
	Users []string
	// PublicBaseURL is the host written into minted URLs (response_url,
	// GetChatInfoUrl, WebhookURL), as WeCom would; clients are expected to
	// keep only path and query.
	PublicBaseURL string
	// Per-minute limits: webhook messages per key, app messages per
	// recipient (message/send), appchat messages per member.
	WebhookPerMinute   int
	RecipientPerMinute int
	ChatMemberPerMin   int
}

// Server imitates qyapi.weixin.qq.com on loopback. Safe for concurrent use.
type Server struct {
	srv     *httptest.Server
	routes  map[string]handler
	opts    Options
	real    clock.Clock
	closing chan struct{}
	once    sync.Once

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever a call or message is recorded
	calls    map[string]int
	messages []Recorded
	faults   []*faultState
	latency  time.Duration

	users      map[string]bool
	names      map[string]string // userid → display name (SetUser)
	hidden     map[string]bool   // outside the visible range (HideUser)
	tokens     map[string]*tokenState
	current    string                 // token gettoken hands out while valid
	webhooks   map[string]string      // key → chatid
	robotChats map[string][]robotChat // key → further chats (AddWebhookChat)
	webhookWin map[string]*window
	recipWin   map[string]*window // api + "\x00" + userid
	dupes      map[string]dupEntry
	cardCodes  map[string]*oneTime // message/update_template_card
	aibotCodes map[string]*oneTime // aibot/response
	infoCodes  map[string]*oneTime // webhook/get_chat_info
	chats      map[string]*appChat
	media      map[string]*mediaItem
	seq        int
}

// New starts a Server on a loopback port.
func New(opts Options) *Server {
	if opts.CorpID == "" {
		opts.CorpID = DefaultCorpID
	}
	if opts.Secret == "" {
		opts.Secret = DefaultSecret
	}
	if opts.AgentID == 0 {
		opts.AgentID = DefaultAgentID
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = DefaultTokenTTL
	}
	if opts.PublicBaseURL == "" {
		opts.PublicBaseURL = DefaultPublicBaseURL
	}
	if opts.WebhookPerMinute <= 0 {
		opts.WebhookPerMinute = DefaultWebhookPerMinute
	}
	if opts.RecipientPerMinute <= 0 {
		opts.RecipientPerMinute = DefaultRecipientPerMinute
	}
	if opts.ChatMemberPerMin <= 0 {
		opts.ChatMemberPerMin = DefaultChatMemberPerMin
	}
	s := &Server{
		opts:       opts,
		real:       clock.OrReal(opts.Real),
		closing:    make(chan struct{}),
		changed:    make(chan struct{}),
		calls:      make(map[string]int),
		users:      make(map[string]bool),
		tokens:     make(map[string]*tokenState),
		webhooks:   make(map[string]string),
		robotChats: make(map[string][]robotChat),
		webhookWin: make(map[string]*window),
		recipWin:   make(map[string]*window),
		dupes:      make(map[string]dupEntry),
		cardCodes:  make(map[string]*oneTime),
		aibotCodes: make(map[string]*oneTime),
		infoCodes:  make(map[string]*oneTime),
		chats:      make(map[string]*appChat),
		media:      make(map[string]*mediaItem),
	}
	for _, u := range opts.Users {
		s.users[u] = true
	}
	s.routes = s.routeTable()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to give a client (http://127.0.0.1:port).
func (s *Server) URL() string { return s.srv.URL }

// Close releases hanging requests and shuts the server down.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.srv.Close()
	})
}

// CorpID, Secret and AgentID are the credentials gettoken accepts.
func (s *Server) CorpID() string     { return s.opts.CorpID }
func (s *Server) Secret() string     { return s.opts.Secret }
func (s *Server) AgentID() int64     { return s.opts.AgentID }
func (s *Server) now() time.Time     { return s.real.Now() }
func (s *Server) public() string     { return strings.TrimRight(s.opts.PublicBaseURL, "/") }
func (s *Server) notifyLocked()      { close(s.changed); s.changed = make(chan struct{}) }
func (s *Server) nextSeqLocked() int { s.seq++; return s.seq }

// call is one request being served.
type call struct {
	api  string
	r    *http.Request
	body []byte
	now  time.Time
}

// answer is what a handler returns; raw answers (media/get) bypass JSON.
type answer struct {
	status int
	json   any
	raw    []byte
	header http.Header
}

func ok(fields map[string]any) answer {
	m := map[string]any{"errcode": 0, "errmsg": "ok"}
	for k, v := range fields {
		m[k] = v
	}
	return answer{json: m}
}

func fail(code int, msg string) answer {
	return answer{json: map[string]any{"errcode": code, "errmsg": msg}}
}

type handler struct {
	method string
	fn     func(*call) answer
}

func (s *Server) routeTable() map[string]handler {
	return map[string]handler{
		"gettoken":                     {http.MethodGet, s.getToken},
		"message/send":                 {http.MethodPost, s.messageSend},
		"message/update_template_card": {http.MethodPost, s.updateTemplateCard},
		"appchat/create":               {http.MethodPost, s.appchatCreate},
		"appchat/get":                  {http.MethodGet, s.appchatGet},
		"appchat/send":                 {http.MethodPost, s.appchatSend},
		"webhook/send":                 {http.MethodPost, s.webhookSend},
		"webhook/upload_media":         {http.MethodPost, s.webhookUpload},
		"webhook/get_chat_info":        {http.MethodGet, s.getChatInfo},
		"media/upload":                 {http.MethodPost, s.mediaUpload},
		"media/get":                    {http.MethodGet, s.mediaGet},
		"aibot/response":               {http.MethodPost, s.aibotResponse},
		"user/get":                     {http.MethodGet, s.userGet},
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	api, found := strings.CutPrefix(r.URL.Path, "/cgi-bin/")
	h, known := s.routes[api]
	if !found || !known {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}

	s.mu.Lock()
	s.calls[api]++
	latency := s.latency
	f := s.takeFaultLocked(api, r, body)
	s.notifyLocked()
	s.mu.Unlock()

	if latency > 0 && !s.wait(r, latency) {
		return
	}
	if f != nil {
		if done := s.applyFault(w, r, *f); done {
			return
		}
	}
	if r.Method != h.method {
		code := 43002
		if h.method == http.MethodGet {
			code = 43001
		}
		writeAnswer(w, fail(code, "require "+h.method+" method"))
		return
	}
	writeAnswer(w, h.fn(&call{api: api, r: r, body: body, now: s.now()}))
}

// wait sleeps d of real time unless the client gives up or the server
// closes first. It reports whether the request should go on.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func writeAnswer(w http.ResponseWriter, a answer) {
	for k, vs := range a.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := a.status
	if status == 0 {
		status = http.StatusOK
	}
	if a.raw != nil {
		w.WriteHeader(status)
		_, _ = w.Write(a.raw)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a.json)
}

// newID returns prefix + a counter + random hex, unique per server.
func (s *Server) newIDLocked(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s%d%s", prefix, s.nextSeqLocked(), hex.EncodeToString(b[:]))
}

// window counts events in the last RateWindow (a sliding log).
type window struct{ at []time.Time }

func (w *window) count(now time.Time) int {
	i := 0
	for i < len(w.at) && !now.Before(w.at[i].Add(RateWindow)) {
		i++
	}
	w.at = w.at[i:]
	return len(w.at)
}

func (w *window) add(now time.Time) { w.at = append(w.at, now) }

// oneTime is a single-use code (response_code, get_chat_info code).
type oneTime struct {
	expires time.Time
	used    bool
	chatID  string
	info    *ChatInfo
}

// useLocked consumes code from m; it reports why it cannot be used.
func useLocked(m map[string]*oneTime, code string, now time.Time) (*oneTime, string) {
	c, found := m[code]
	switch {
	case code == "" || !found:
		return nil, "invalid code"
	case c.used:
		return nil, "code has been used"
	case !now.Before(c.expires):
		return nil, "code expired"
	}
	c.used = true
	return c, ""
}
