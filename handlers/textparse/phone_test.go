package textparse

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"13812345678", "13812345678"},
		{"138 1234 5678", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"+8613812345678", "13812345678"},
		{"86 13812345678", "13812345678"},
		{"008613812345678", "13812345678"},
		{"１３８１２３４５６７８", "13812345678"},
		{"19912345678。", "19912345678"},
		{"023-63850029", "023-63850029"},
		{"02363850029", "023-63850029"},
		{"(023)63850029", "023-63850029"},
		{"（023）63850029", "023-63850029"},
		{"023 6385 0029", "023-63850029"},
		{"+86 23 6385 0029", "023-63850029"},
		{"010-62345678", "010-62345678"},
		{"0851-5123456", "0851-5123456"},
		{"63850029", "63850029"},
		{"6385002", "6385002"},
		{"023-63850029-123", "023-63850029-123"},
		{"023-63850029转123", "023-63850029-123"},
		{"023-63850029 ext 8", "023-63850029-8"},
		{"63850029-12", "63850029-12"},
		{"023-63850029#123456", "023-63850029-123456"},
		{"400-123-4567", "400-123-4567"},
		{"4001234567", "400-123-4567"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidatePhone(tt.in)
			if err != nil {
				t.Fatalf("ValidatePhone(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ValidatePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidatePhoneInvalid(t *testing.T) {
	tests := []struct {
		in      string
		wantMsg string
	}{
		{"", "请输入电话号码"},
		{"abc", "只能有数字"},
		{"138a1234567", "只能有数字"},
		{"1381234567", "手机号应为 11 位数字，这里是 10 位"},
		{"138123456789", "这里是 12 位"},
		{"12812345678", "格式不对"},
		{"023-6385", "格式不对"},
		{"0000000000", "格式不对"},
		{"023-03850029", "格式不对"},
		{"+1 415 555 0100", "只支持中国大陆"},
		{"13812345678转12", "手机号不能带分机号"},
		{"023-63850029转", "分机号应为"},
		{"023-63850029转1234567", "分机号应为"},
		{"+", "只能有数字"},
		{"+86", "只支持中国大陆"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidatePhone(tt.in)
			if err == nil {
				t.Fatalf("ValidatePhone(%q) = %q, want error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidPhone) {
				t.Errorf("error %v does not wrap ErrInvalidPhone", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, "13812345678") {
				t.Errorf("message %q should contain %q and an example", msg, tt.wantMsg)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+86 138 1234 5678", "138****5678"},
		{"023-63850029", "023-6385****"},
		{"02363850029", "023-6385****"},
		{"0851-5123456", "0851-512****"},
		{"63850029", "6385****"},
		{"023-63850029-123", "023-6385****-123"},
		{"400-123-4567", "400-123-****"},
		{"12345", "123**"},
		{"电话 138-1234", "电话 138-****"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
