// Package redact keeps secrets out of everything firebot prints: the
// credentials in URLs (redis://user:password@host, ?key=… of webhooks) and
// every secret value the configuration holds, wherever they appear in a
// log record, an error or a command's output.
package redact

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mask replaces what is redacted.
const Mask = "***"

var (
	urlUserinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@"'<>]+@`)
	urlSecretQ  = regexp.MustCompile(`(?i)([?&](?:key|access_token|corpsecret|secret|token|password|code)=)[^&\s"'<>]+`)
)

var (
	mu      sync.RWMutex
	secrets []string // longest first
	known   = map[string]bool{}
)

// Add registers secret values to redact from now on (values shorter than
// 6 characters are ignored: they would mask ordinary words).
func Add(values ...string) {
	mu.Lock()
	defer mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < 6 || known[v] {
			continue
		}
		known[v] = true
		secrets = append(secrets, v)
	}
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
}

// String redacts s: URL credentials and every registered secret.
func String(s string) string {
	s = urlUserinfo.ReplaceAllString(s, "${1}"+Mask+"@")
	s = urlSecretQ.ReplaceAllString(s, "${1}"+Mask)
	mu.RLock()
	defer mu.RUnlock()
	for _, v := range secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return s
}

// Error is err's message, redacted.
func Error(err error) string {
	if err == nil {
		return ""
	}
	return String(err.Error())
}

// Writer redacts every write to w (each write is redacted as a whole, so
// write messages whole: fmt.Fprintf does).
func Writer(w io.Writer) io.Writer { return writer{w} }

type writer struct{ w io.Writer }

// Unwrap returns the writer redacted into (to ask whether it is a terminal).
func (w writer) Unwrap() io.Writer { return w.w }

func (w writer) Write(b []byte) (int, error) {
	s := String(string(b))
	if _, err := io.WriteString(w.w, s); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Handler redacts the message and every attribute of each record before
// h sees it.
func Handler(h slog.Handler) slog.Handler { return handler{h} }

type handler struct{ h slog.Handler }

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, String(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h handler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = attr(a)
	}
	return handler{h.h.WithAttrs(red)}
}

func (h handler) WithGroup(name string) slog.Handler { return handler{h.h.WithGroup(name)} }

func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = attr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Error(x))
		case fmt.Stringer:
			return slog.String(a.Key, String(x.String()))
		case []string:
			red := make([]string, len(x))
			for i, s := range x {
				red[i] = String(s)
			}
			return slog.Any(a.Key, red)
		default:
			return slog.String(a.Key, String(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
