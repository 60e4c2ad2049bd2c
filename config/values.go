package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"firebot/handlers/textparse"
)

// parseDuration reads a Go duration ("90s", "6h30m") or one starting with
// whole days ("180d", "1d12h").
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("无法解析时长 %q（例如 30s、10m、6h、180d）", s)
	if i := strings.IndexByte(s, 'd'); i > 0 {
		days, err := strconv.Atoi(s[:i])
		if err != nil || days < 0 || days > 100000 {
			return 0, bad
		}
		d := time.Duration(days) * 24 * time.Hour
		if rest := s[i+1:]; rest != "" {
			r, err := time.ParseDuration(rest)
			if err != nil || r < 0 {
				return 0, bad
			}
			d += r
		}
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, bad
	}
	return d, nil
}

// QuietHours is a daily range during which non-urgent reminders wait,
// e.g. 21:00-08:00 (wrapping midnight). Start == End means none.
type QuietHours struct {
	Start time.Duration // since midnight
	End   time.Duration // since midnight
}

// UnmarshalText reads "HH:MM-HH:MM"; "" or "off" disables quiet hours.
func (q *QuietHours) UnmarshalText(b []byte) error {
	v, err := parseQuietHours(string(b))
	if err != nil {
		return err
	}
	*q = v
	return nil
}

func parseQuietHours(s string) (QuietHours, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "off" {
		return QuietHours{}, nil
	}
	bad := fmt.Errorf("无法解析免打扰时段 %q（例如 21:00-08:00，或 off 表示不设）", s)
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return QuietHours{}, bad
	}
	start, err1 := parseClock(from)
	end, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return QuietHours{}, bad
	}
	if start == end {
		return QuietHours{}, fmt.Errorf("免打扰时段 %q 起止相同；不设请写 off", s)
	}
	return QuietHours{Start: start, End: end}, nil
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Enabled reports whether there are quiet hours at all.
func (q QuietHours) Enabled() bool { return q.Start != q.End }

// Contains reports whether t (read in its own location) is in quiet hours.
func (q QuietHours) Contains(t time.Time) bool {
	if !q.Enabled() {
		return false
	}
	x := sinceMidnight(t)
	if q.Start < q.End {
		return x >= q.Start && x < q.End
	}
	return x >= q.Start || x < q.End
}

// Until returns when the quiet period containing t ends, or t itself when t
// is not in quiet hours.
func (q QuietHours) Until(t time.Time) time.Time {
	if !q.Contains(t) {
		return t
	}
	y, m, d := t.Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, t.Location()).Add(q.End)
	if !end.After(t) {
		end = time.Date(y, m, d+1, 0, 0, 0, 0, t.Location()).Add(q.End)
	}
	return end
}

// String gives "HH:MM-HH:MM", or "off".
func (q QuietHours) String() string {
	if !q.Enabled() {
		return "off"
	}
	f := func(d time.Duration) string {
		return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
	}
	return f(q.Start) + "-" + f(q.End)
}

func sinceMidnight(t time.Time) time.Duration {
	h, m, s := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
}

// checkAESKey checks a WeCom EncodingAESKey: 43 base64 characters that
// decode (with the implied "=") to a 32-byte AES key. The message never
// contains the key.
func checkAESKey(key string) error {
	if len(key) != 43 {
		return errors.New("EncodingAESKey 必须是 43 个 base64 字符")
	}
	raw, err := base64.StdEncoding.DecodeString(key + "=")
	if err != nil || len(raw) != 32 {
		return errors.New("EncodingAESKey 不是合法的 base64（应为 43 个字符：A-Z a-z 0-9 + /）")
	}
	return nil
}

// checkListen checks a host:port listen address.
func checkListen(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("监听地址 %q 应为 host:port", addr)
	}
	return nil
}

// isLoopback reports whether a listen address binds only to loopback.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkBaseURL checks an http(s) base URL.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("应为 http:// 或 https:// 开头的地址，而不是 %q", s)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validID reports whether an id is plain ASCII: letters, digits, '_', '-', '.'.
func validID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '_' || r == '-' || r == '.' ||
			('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// suggest returns the candidate closest to s, if it is close enough to be
// a likely typo.
func suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := textparse.EditDistance(s, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// ParseDuration reads a duration as the configuration writes it: a Go
// duration (30s, 10m, 6h) or whole days (180d, 1d12h).
func ParseDuration(s string) (time.Duration, error) { return parseDuration(s) }
