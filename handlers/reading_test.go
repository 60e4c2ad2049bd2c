package handlers

import (
	"testing"
)

func TestTrimValueCorrections(t *testing.T) {
	for in, want := range map[string]string{
		"：90":       "90",
		"不对 应该是90":  "90",
		"是昨天":       "昨天",
		"改为 11月6日":  "11月6日",
		"为90人":      "90人",
		"为民":        "为民", // a name, not 为 + 民
		"是张三的":      "是张三的",
		"有误，应为一百二十": "一百二十",
	} {
		if got := trimValue(in); got != want {
			t.Errorf("trimValue(%q) = %q, want %q", in, got, want)
		}
	}
}
