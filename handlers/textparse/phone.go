package textparse

import (
	"fmt"
	"strings"
)

// phoneHelp is the hint every phone error ends with.
const phoneHelp = "可以写手机号（如 13812345678）或座机号（如 023-63850029，分机写成 023-63850029-123）。"

// extensionMarks introduce an extension: 023-63850029转123, …ext123, …#123.
var extensionMarks = []string{"转", "分机", "ext.", "ext", "#"}

// ValidatePhone checks a Chinese phone number and returns it normalised:
//
//   - mobiles, 11 digits starting 13–19, with or without +86 / 86 / 0086 and
//     spaces or hyphens: "+86 138-1234-5678" → "13812345678";
//   - landlines with area code: "023-63850029", "02363850029",
//     "(023)63850029", "+86 23 6385 0029" → "023-63850029";
//   - local landlines of 7–8 digits: "63850029";
//   - an extension after -, 转, ext or #: "023-63850029-123";
//   - 400/800 service numbers: "400-123-4567".
//
// Errors are *InputError wrapping ErrInvalidPhone, with a Chinese message
// giving examples.
func ValidatePhone(s string) (string, error) {
	rs := trimRunes(fold(s), func(r rune) bool {
		return isSpace(r) || isPunct(r) && r != '(' && r != ')' && r != '+' && r != '#'
	})
	if len(rs) == 0 {
		return "", inputErr(ErrInvalidPhone, "请输入电话号码。"+phoneHelp)
	}
	base, ext := string(rs), ""
	for _, mark := range extensionMarks {
		if i := strings.Index(base, mark); i >= 0 {
			base, ext = base[:i], strings.NewReplacer(" ", "", "-", "", ":", "").Replace(base[i+len(mark):])
			if len(ext) == 0 || len(ext) > 6 || strings.Trim(ext, "0123456789") != "" {
				return "", inputErr(ErrInvalidPhone, "分机号应为 1 到 6 位数字。"+phoneHelp)
			}
			break
		}
	}

	groups, plus, ok := phoneGroups(base)
	if !ok {
		return "", inputErr(ErrInvalidPhone, "电话号码里只能有数字、空格、括号和连字符。"+phoneHelp)
	}
	groups, country := stripCountryCode(groups, plus)
	if plus && !country {
		return "", inputErr(ErrInvalidPhone, "只支持中国大陆的电话号码（+86）。"+phoneHelp)
	}
	digits := strings.Join(groups, "")
	if isMobile(digits) {
		if ext != "" {
			return "", inputErr(ErrInvalidPhone, "手机号不能带分机号。"+phoneHelp)
		}
		return digits, nil
	}
	if country && digits != "" && digits[0] != '0' {
		groups[0] = "0" + groups[0]
		digits = "0" + digits
	}
	if (strings.HasPrefix(digits, "400") || strings.HasPrefix(digits, "800")) && len(digits) == 10 && ext == "" {
		return digits[:3] + "-" + digits[3:6] + "-" + digits[6:], nil
	}
	if ext == "" && len(groups) >= 2 {
		last := groups[len(groups)-1]
		if len(last) <= 6 {
			if l, ok := landline(strings.Join(groups[:len(groups)-1], "")); ok {
				return l + "-" + last, nil
			}
		}
	}
	if l, ok := landline(digits); ok {
		if ext != "" {
			return l + "-" + ext, nil
		}
		return l, nil
	}
	if digits != "" && digits[0] == '1' && len(digits) != 11 {
		return "", inputErr(ErrInvalidPhone, fmt.Sprintf("手机号应为 11 位数字，这里是 %d 位。%s", len(digits), phoneHelp))
	}
	return "", inputErr(ErrInvalidPhone, "电话号码格式不对。"+phoneHelp)
}

// phoneGroups splits s into its runs of digits. Only spaces, hyphens,
// dots, parentheses and one leading + may separate them.
func phoneGroups(s string) (groups []string, plus bool, ok bool) {
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			groups = append(groups, cur.String())
			cur.Reset()
		}
	}
	for i, r := range s {
		switch {
		case isASCIIDigit(r):
			cur.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '—' || r == '–' || isSpace(r):
			flush()
		default:
			return nil, false, false
		}
	}
	flush()
	return groups, plus, len(groups) > 0
}

// stripCountryCode removes a leading 86 / 0086 (required after +).
func stripCountryCode(groups []string, plus bool) ([]string, bool) {
	g := append([]string(nil), groups...)
	first := g[0]
	var rest string
	switch {
	case plus && strings.HasPrefix(first, "86"):
		rest = first[2:]
	case !plus && strings.HasPrefix(first, "0086"):
		rest = first[4:]
	case !plus && strings.HasPrefix(first, "86") && isMobile(strings.Join(g, "")[2:]):
		rest = first[2:]
	default:
		return g, false
	}
	if rest == "" {
		g = g[1:]
	} else {
		g[0] = rest
	}
	return g, len(g) > 0
}

func isMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && strings.Trim(d, "0123456789") == ""
}

// landline normalises an area code plus subscriber number (023-63850029) or
// a bare 7–8 digit subscriber number. Area codes 010 and 02x have three
// digits, all others four.
func landline(d string) (string, bool) {
	validSub := func(sub string) bool {
		return len(sub) >= 7 && len(sub) <= 8 && sub[0] != '0' && sub[0] != '1'
	}
	if d == "" {
		return "", false
	}
	if d[0] != '0' {
		return d, validSub(d)
	}
	if len(d) < 2 || d[1] == '0' {
		return "", false
	}
	area := 4
	if d[1] == '1' || d[1] == '2' {
		area = 3
	}
	if len(d) <= area || !validSub(d[area:]) {
		return "", false
	}
	return d[:area] + "-" + d[area:], true
}

// MaskPhone hides the last four digits of a subscriber number for display:
// 13812345678 → 138****5678, 023-63850029 → 023-6385****. Input that is not
// a valid phone number keeps its first three digits and loses the rest.
func MaskPhone(s string) string {
	n, err := ValidatePhone(s)
	if err != nil {
		var b strings.Builder
		seen := 0
		for _, r := range s {
			if isASCIIDigit(foldRune(r)) {
				seen++
				if seen > 3 {
					r = '*'
				}
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	if isMobile(n) {
		return n[:3] + "****" + n[7:]
	}
	parts := strings.Split(n, "-")
	i := 0 // the subscriber part: 63850029 or 63850029-123
	switch {
	case n[0] == '0': // 023-63850029[-123]
		i = 1
	case len(parts) == 3: // 400-123-4567
		i = 2
	}
	p := parts[i]
	parts[i] = p[:len(p)-4] + "****"
	return strings.Join(parts, "-")
}
