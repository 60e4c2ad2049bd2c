package roster

import (
	"net/url"
	"strings"
)

// validID is the configuration's rule for ids.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || isASCIIAlnum(r)) {
			return false
		}
	}
	return true
}

// validUserID is WeCom's rule for user ids: 1–64 letters, digits and _-@.
// starting with a letter or digit.
func validUserID(s string) bool {
	if s == "" || len(s) > 64 || !isASCIIAlnum(rune(s[0])) {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '@' || r == '.' || isASCIIAlnum(r)) {
			return false
		}
	}
	return true
}

// validChatID accepts the ids of app chats ([0-9a-zA-Z]) and of robot
// callbacks (e.g. wrkSFfCgAA…), with room for _-. in ids made by hand.
func validChatID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r == '.' || isASCIIAlnum(r)) {
			return false
		}
	}
	return true
}

// parseWebhookKey accepts a bare key or a whole webhook address and returns
// the key.
func parseWebhookKey(s string) (string, bool) {
	switch {
	case strings.Contains(s, "?"):
		u, err := url.Parse(s)
		if err != nil {
			return "", false
		}
		s = u.Query().Get("key")
	case strings.HasPrefix(s, "key="):
		s = strings.TrimPrefix(s, "key=")
	}
	if s == "" || len(s) > 128 {
		return "", false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || isASCIIAlnum(r)) {
			return "", false
		}
	}
	return s, true
}

func isASCIIAlnum(r rune) bool {
	return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}
