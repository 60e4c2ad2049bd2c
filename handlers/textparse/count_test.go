package textparse

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"80", 80},
		{"80人", 80},
		{"80 人", 80},
		{" 80人。", 80},
		{"８０", 80},
		{"８０人", 80},
		{"八十", 80},
		{"八十人", 80},
		{"八十个人", 80},
		{"十", 10},
		{"十一", 11},
		{"二十三", 23},
		{"一百二十", 120},
		{"一百零五", 105},
		{"两百", 200},
		{"三百五", 350},
		{"一千二", 1200},
		{"一千零二十", 1020},
		{"两千三百", 2300},
		{"1,200", 1200},
		{"1，200人", 1200},
		{"12,345,678", 12345678},
		{"3万", 30000},
		{"一万二", 12000},
		{"共80人", 80},
		{"约 200 人", 200},
		{"120人次", 120},
		{"壹佰", 100},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCount(tt.in)
			if err != nil {
				t.Fatalf("ParseCount(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseCount(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCountInvalid(t *testing.T) {
	tests := []struct {
		in      string
		wantMsg string
	}{
		{"", "请输入一个正整数"},
		{"   ", "请输入一个正整数"},
		{"人", "请输入一个正整数"},
		{"0", "不能是 0"},
		{"零", "不能是 0"},
		{"0人", "不能是 0"},
		{"-5", "不能是负数"},
		{"负五", "不能是负数"},
		{"1.5", "不能有小数"},
		{"八十点五", "不能有小数"},
		{"abc", "看不懂"},
		{"很多", "看不懂"},
		{"八十多", "看不懂"},
		{"二三", "看不懂"},
		{"1,20", "看不懂"},
		{"80-100", "看不懂"},
		{"一百零", "看不懂"},
		{"10000000000", "太大"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCount(tt.in)
			if err == nil {
				t.Fatalf("ParseCount(%q) = %d, want error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidCount) {
				t.Errorf("error %v does not wrap ErrInvalidCount", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, countHelp) {
				t.Errorf("message %q should contain %q and %q", msg, tt.wantMsg, countHelp)
			}
		})
	}
}

func TestExtractCount(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		units  []string
		want   int
		wantOK bool
	}{
		{"number then unit", "今天上午我们社区组织了疏散演练，80人参加", nil, 80, true},
		{"label then number", "参加人数80", nil, 80, true},
		{"label with colon", "参加人数：120", nil, 120, true},
		{"gong and chinese numeral", "共八十人", nil, 80, true},
		{"approximate", "11月3日组织演练，200余人参加", nil, 200, true},
		{"ming unit", "演练一次，参加人员一百零五名", nil, 105, true},
		{"full-width", "参加人数：８０人", nil, 80, true},
		{"grouped digits", "覆盖群众1,200人", nil, 1200, true},
		{"first unit wins", "80人参加，其中20人是学生", nil, 80, true},
		{"custom unit", "组织了3场演练，共150人", []string{"场"}, 3, true},
		{"people over sessions", "组织了3场演练，共150人", []string{"人"}, 150, true},
		{"only plain number", "参加 80", nil, 80, true},
		{"date numbers are not counts", "11月3日组织演练", nil, 0, false},
		{"clock time is not a count", "9:30开始", nil, 0, false},
		{"phone is not a count", "联系电话13812345678", nil, 0, false},
		{"ordinal is not a count", "第3小组参加了", nil, 0, false},
		{"two plain numbers are ambiguous", "参加 80 或 90", nil, 0, false},
		{"yi in words is not a count", "大家一起统一行动", nil, 0, false},
		{"zero is not a count", "0人参加", nil, 0, false},
		{"empty", "", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExtractCount(tt.in, tt.units...)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ExtractCount(%q, %q) = %d, %v; want %d, %v", tt.in, tt.units, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
