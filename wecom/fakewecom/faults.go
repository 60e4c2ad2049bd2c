package fakewecom

import (
	"net/http"
	"time"
)

// FaultKind says how a faulted call misbehaves.
type FaultKind int

// Fault kinds.
const (
	// FaultErrcode answers HTTP 200 {"errcode": Code} (default -1).
	FaultErrcode FaultKind = iota
	// FaultHTTPStatus answers with HTTP status Code (default 500).
	FaultHTTPStatus
	// FaultMalformedJSON answers HTTP 200 with a truncated JSON body.
	FaultMalformedJSON
	// FaultDelay waits Delay of real time, then serves the call normally.
	FaultDelay
	// FaultHang never answers: it waits until the client gives up (its
	// context or timeout) or the server closes — a timeout without a sleep.
	FaultHang
)

// Fault describes one injected failure. Key and Match narrow which calls
// it applies to.
type Fault struct {
	Kind  FaultKind
	Code  int           // errcode (FaultErrcode) or HTTP status (FaultHTTPStatus)
	Msg   string        // errmsg for FaultErrcode
	Delay time.Duration // FaultDelay
	Key   string        // only calls whose query has key=Key (webhooks)
	// Match, if set, must return true for the call. It runs with the
	// server's lock held: it may read r and body (not keep body) but must
	// not call Server methods.
	Match func(r *http.Request, body []byte) bool
}

// SystemBusy is errcode -1.
func SystemBusy() Fault { return Fault{Kind: FaultErrcode, Code: -1, Msg: "system busy"} }

// Errcode is HTTP 200 with errcode code.
func Errcode(code int) Fault { return Fault{Kind: FaultErrcode, Code: code} }

// HTTPStatus is a bare HTTP error status.
func HTTPStatus(status int) Fault { return Fault{Kind: FaultHTTPStatus, Code: status} }

// MalformedJSON is HTTP 200 with a body that is not valid JSON.
func MalformedJSON() Fault { return Fault{Kind: FaultMalformedJSON} }

// Delay serves the call normally after d of real time.
func Delay(d time.Duration) Fault { return Fault{Kind: FaultDelay, Delay: d} }

// Hang never answers the call.
func Hang() Fault { return Fault{Kind: FaultHang} }

type faultState struct {
	api       string
	remaining int // < 0: until ClearFaults
	f         Fault
}

// InjectFault makes the next n calls to api that match f misbehave as f
// says (n <= 0: every matching call until ClearFaults). Faults apply in the
// order they were injected; a faulted call is counted by CallCount but not
// recorded as a message.
func (s *Server) InjectFault(api string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		n = -1
	}
	s.faults = append(s.faults, &faultState{api: api, remaining: n, f: f})
}

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFaultLocked returns the first fault matching the call and consumes one
// use of it.
func (s *Server) takeFaultLocked(api string, r *http.Request, body []byte) *Fault {
	for i, fs := range s.faults {
		if fs.api != api {
			continue
		}
		if fs.f.Key != "" && r.URL.Query().Get("key") != fs.f.Key {
			continue
		}
		if fs.f.Match != nil && !fs.f.Match(r, body) {
			continue
		}
		f := fs.f
		if fs.remaining > 0 {
			fs.remaining--
			if fs.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

// applyFault misbehaves; it reports whether the call is finished (false for
// a delay, after which the call is served normally).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case FaultErrcode:
		code, msg := f.Code, f.Msg
		if code == 0 {
			code = -1
		}
		if msg == "" {
			msg = "injected fault"
		}
		writeAnswer(w, fail(code, msg))
	case FaultHTTPStatus:
		status := f.Code
		if status == 0 {
			status = http.StatusInternalServerError
		}
		http.Error(w, http.StatusText(status), status)
	case FaultMalformedJSON:
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok","msgid":`))
	case FaultDelay:
		return !s.wait(r, f.Delay)
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	}
	return true
}
