package textparse

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// cst is China Standard Time; China has no daylight saving time.
var cst = time.FixedZone("CST", 8*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

// at is a moment during a campaign day; ParseDate must ignore the hour.
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 15, 4, 5, 0, cst) }

func TestParseDate(t *testing.T) {
	wed := at(2023, 11, 8) // a Wednesday in the campaign month
	tests := []struct {
		name  string
		in    string
		today time.Time
		want  time.Time
	}{
		{"today", "今天", wed, day(2023, 11, 8)},
		{"today literary", "今日", wed, day(2023, 11, 8)},
		{"yesterday", "昨天", wed, day(2023, 11, 7)},
		{"yesterday literary", "昨日", wed, day(2023, 11, 7)},
		{"day before yesterday", "前天", wed, day(2023, 11, 6)},
		{"three days ago", "大前天", wed, day(2023, 11, 5)},
		{"last friday", "上周五", wed, day(2023, 11, 3)},
		{"last friday xingqi", "上星期五", wed, day(2023, 11, 3)},
		{"last friday libai", "上礼拜五", wed, day(2023, 11, 3)},
		{"last sunday", "上周日", wed, day(2023, 11, 5)},
		{"last friday from sunday", "上周五", at(2023, 11, 12), day(2023, 11, 3)},
		{"last friday over new year", "上周五", at(2024, 1, 2), day(2023, 12, 29)},
		{"this wednesday is today", "本周三", wed, day(2023, 11, 8)},
		{"this monday", "这周一", wed, day(2023, 11, 6)},
		{"bare friday is the latest past one", "周五", wed, day(2023, 11, 3)},
		{"xingqi thursday", "星期四", wed, day(2023, 11, 2)},
		{"sunday", "周日", wed, day(2023, 11, 5)},
		{"libai tian", "礼拜天", wed, day(2023, 11, 5)},
		{"this wednesday from monday", "本周三", at(2023, 11, 6), day(2023, 11, 1)},
		{"month day ri", "11月3日", wed, day(2023, 11, 3)},
		{"month day hao", "11月3号", wed, day(2023, 11, 3)},
		{"chinese numerals", "十一月三日", wed, day(2023, 11, 3)},
		{"chinese twenty-eight", "十月二十八日", wed, day(2023, 10, 28)},
		{"dotted", "11.3", wed, day(2023, 11, 3)},
		{"hyphen", "11-3", wed, day(2023, 11, 3)},
		{"slash", "11/3", wed, day(2023, 11, 3)},
		{"iso", "2023-11-03", wed, day(2023, 11, 3)},
		{"slash with year", "2023/11/3", wed, day(2023, 11, 3)},
		{"dotted with year", "2023.11.3", wed, day(2023, 11, 3)},
		{"nian yue ri", "2023年11月3日", wed, day(2023, 11, 3)},
		{"chinese year", "二〇二三年十一月三日", wed, day(2023, 11, 3)},
		{"full-width digits", "２０２３－１１－０３", wed, day(2023, 11, 3)},
		{"day of this month", "3号", wed, day(2023, 11, 3)},
		{"day ri", "3日", wed, day(2023, 11, 3)},
		{"day still to come is last month", "9号", wed, day(2023, 10, 9)},
		{"day 31 last month", "31号", wed, day(2023, 10, 31)},
		{"day is today", "8号", wed, day(2023, 11, 8)},
		{"last month day", "上月28号", wed, day(2023, 10, 28)},
		{"morning suffix", "11月3日上午", wed, day(2023, 11, 3)},
		{"afternoon suffix", "今天下午", wed, day(2023, 11, 8)},
		{"clock time suffix", "今天下午3点半", wed, day(2023, 11, 8)},
		{"clock colon", "11月9日 9:30", wed, day(2023, 11, 9)},
		{"weekday note", "11月3日（周五）", wed, day(2023, 11, 3)},
		{"trailing punctuation", " 昨天。", wed, day(2023, 11, 7)},
		{"future within two months stays this year", "12月30日", wed, day(2023, 12, 30)},
		{"far future is last year", "12月30日", at(2024, 1, 5), day(2023, 12, 30)},
		{"two months ahead is this year", "3月1日", at(2024, 1, 5), day(2024, 3, 1)},
		{"beyond two months is last year", "3月10日", at(2024, 1, 5), day(2023, 3, 10)},
		{"leap day", "2月29日", at(2024, 3, 10), day(2024, 2, 29)},
		{"tomorrow is not rejected here", "明天", wed, day(2023, 11, 9)},
		{"two weeks ago friday", "上上周五", wed, day(2023, 10, 27)},
		{"next monday", "下周一", wed, day(2023, 11, 13)},
		{"chinese day only", "二十号", wed, day(2023, 10, 20)},
		{"this month day", "本月2号", wed, day(2023, 11, 2)},
		{"day with morning and clock", "3号上午9:30", wed, day(2023, 11, 3)},
		{"full-width month day", "１１月３日", wed, day(2023, 11, 3)},
		{"zero-padded slash", "11/03", wed, day(2023, 11, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.today)
			if err != nil {
				t.Fatalf("ParseDate(%q) error: %v", tt.in, err)
			}
			if !got.Equal(tt.want) || got.Location() != tt.today.Location() {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDateInvalid(t *testing.T) {
	wed := at(2023, 11, 8)
	tests := []struct {
		name    string
		in      string
		today   time.Time
		wantMsg string // a fragment of the user-facing message
	}{
		{"empty", "", wed, "请输入日期"},
		{"blank", " 　\n", wed, "请输入日期"},
		{"nonsense", "随便哪天", wed, "看不懂这个日期"},
		{"letters", "abc", wed, "看不懂这个日期"},
		{"bare number", "3", wed, "看不懂这个日期"},
		{"month only", "11月", wed, "看不懂这个日期"},
		{"trailing words", "11月3日演练", wed, "看不懂这个日期"},
		{"feb 30", "2月30日", wed, "2月没有30日"},
		{"month 13", "13月1日", wed, "没有13月"},
		{"month 0", "0月3日", wed, "没有0月"},
		{"day 32", "11.32", wed, "11月没有32日"},
		{"iso feb 29 non leap", "2023-02-29", wed, "2023年不是闰年"},
		{"feb 29 without year in non leap year", "2月29日", wed, "不是闰年"},
		{"iso april 31", "2023-04-31", wed, "2023年4月没有31日"},
		{"day 32 of month", "32号", wed, "没有32日"},
		{"day missing in last month", "30号", at(2023, 3, 5), "2月没有30日"},
		{"weekday 8", "周8", wed, "看不懂这个日期"},
		{"week without day", "上周", wed, "看不懂这个日期"},
		{"two-digit year", "23-11-3", wed, "看不懂这个日期"},
		{"lunar style", "十一月初三", wed, "看不懂这个日期"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.today)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidDate) {
				t.Errorf("error %v does not wrap ErrInvalidDate", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, dateHelp) {
				t.Errorf("message %q should contain %q and the accepted forms", msg, tt.wantMsg)
			}
		})
	}
}

func TestIsFuture(t *testing.T) {
	today := at(2023, 11, 8)
	tests := []struct {
		name string
		d    time.Time
		want bool
	}{
		{"yesterday", day(2023, 11, 7), false},
		{"today midnight", day(2023, 11, 8), false},
		{"today late", time.Date(2023, 11, 8, 23, 59, 0, 0, cst), false},
		{"tomorrow", day(2023, 11, 9), true},
		{"next year", day(2024, 1, 1), true},
		{"earlier month later day", day(2023, 10, 30), false},
		{"same instant in UTC", time.Date(2023, 11, 8, 17, 0, 0, 0, time.UTC), true}, // 01:00 on the 9th in CST
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsFuture(tt.d, today); got != tt.want {
				t.Errorf("IsFuture(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestExtractDate(t *testing.T) {
	wed := at(2023, 11, 8)
	tests := []struct {
		name   string
		in     string
		want   time.Time
		wantOK bool
	}{
		{"today in a sentence", "今天上午我们社区组织了疏散演练，80人参加", day(2023, 11, 8), true},
		{"month day in a sentence", "我们11月3日下午在3号楼组织了演练", day(2023, 11, 3), true},
		{"last friday in a sentence", "上周五组织的全员疏散演练", day(2023, 11, 3), true},
		{"deadline phrase", "推荐表10月28日前提交", day(2023, 10, 28), true},
		{"chinese numerals", "十一月一日开展了宣传", day(2023, 11, 1), true},
		{"iso in text", "时间：2023-11-09，地点学田湾正街59号", day(2023, 11, 9), true},
		{"dotted in text", "11.3 演练", day(2023, 11, 3), true},
		{"skips a day that does not exist", "2月30日或者11月1日", day(2023, 11, 1), true},
		{"building number is not a date", "3号楼组织了演练", time.Time{}, false},
		{"decimal hours are not a date", "演练用时3.5小时", time.Time{}, false},
		{"version number is not a date", "版本1.2.3已经发布", time.Time{}, false},
		{"within days is not a date", "请三日内上报", time.Time{}, false},
		{"every wednesday is not a date", "每周三开例会", time.Time{}, false},
		{"ordinal day is not a date", "活动第3日", time.Time{}, false},
		{"no date", "我们组织了演练", time.Time{}, false},
		{"empty", "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExtractDate(tt.in, wed)
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("ExtractDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
