package zhfmt

import (
	"testing"
	"time"

	"firebot/campaign"
)

var cst = time.FixedZone("CST", 8*3600)

func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, cst) }

func TestDates(t *testing.T) {
	fri := at(2023, 11, 3, 9, 5) // a Friday
	now := at(2023, 11, 20, 10, 0)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Weekday", Weekday(fri), "周五"},
		{"Weekday Sunday", Weekday(at(2023, 11, 5, 0, 0)), "周日"},
		{"Date", Date(fri), "11月3日"},
		{"DateWeekday", DateWeekday(fri), "11月3日（周五）"},
		{"Day this year", Day(fri, now), "11月3日（周五）"},
		{"Day other year", Day(at(2024, 1, 2, 0, 0), now), "2024年1月2日（周二）"},
		{"Clock", Clock(fri), "09:05"},
		{"Moment", Moment(fri), "11月3日 09:05"},
		{"MomentWeekday", MomentWeekday(fri), "11月3日（周五）09:05"},
		{"Deadline", Deadline(at(2023, 10, 27, 17, 0), false), "10月27日 17:00"},
		{"Deadline date only", Deadline(at(2023, 10, 28, 23, 59), true), "10月28日"},
		{"DeadlineWeekday", DeadlineWeekday(at(2023, 10, 27, 17, 0), false), "10月27日（周五）17:00"},
		{"DeadlineWeekday date only", DeadlineWeekday(at(2023, 12, 1, 23, 59), true), "12月1日（周五）"},
		{"StoredDate", StoredDate("2023-11-03"), "11月3日"},
		{"StoredDate not a day", StoredDate("上周五"), "上周五"},
		{"StoredDate empty", StoredDate(""), ""},
		{"StoredDay", StoredDay("2023-11-03", now), "11月3日（周五）"},
		{"StoredDay other year", StoredDay("2022-12-31", now), "2022年12月31日（周六）"},
		{"StoredDay not a day", StoredDay("2023-13-01", now), "2023-13-01"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestParseDay(t *testing.T) {
	d, ok := ParseDay("2023-11-03", cst)
	if !ok || !d.Equal(at(2023, 11, 3, 0, 0)) {
		t.Fatalf("ParseDay = %v, %v", d, ok)
	}
	for _, bad := range []string{"", "2023-11-3", "11月3日", "2023-02-30"} {
		if _, ok := ParseDay(bad, cst); ok {
			t.Errorf("ParseDay(%q) accepted", bad)
		}
	}
}

func TestCountdown(t *testing.T) {
	now := at(2023, 11, 20, 10, 0)
	tests := []struct {
		left time.Duration
		want string
	}{
		{31 * time.Hour, "还剩1天7小时"},
		{48 * time.Hour, "还剩2天"},
		{48*time.Hour + 59*time.Minute, "还剩2天"},
		{7 * time.Hour, "还剩7小时0分钟"},
		{3*time.Hour + 5*time.Minute, "还剩3小时5分钟"},
		{45 * time.Minute, "还剩45分钟"},
		{30 * time.Second, "还剩1分钟"},
		{time.Nanosecond, "还剩1分钟"},
		{0, "已截止"},
		{-time.Hour, "已截止"},
	}
	for _, tt := range tests {
		if got := Countdown(now, now.Add(tt.left)); got != tt.want {
			t.Errorf("Countdown(%v) = %q, want %q", tt.left, got, tt.want)
		}
	}
}

func TestLists(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{List(nil), ""},
		{List([]string{"北片板块"}), "北片板块"},
		{List([]string{"北片板块", "学田湾社区", "渝中区图书馆"}), "北片板块、学田湾社区、渝中区图书馆"},
		{UnitNames(nil), ""},
		{Ratio(3, 5), "3/5"},
		{Ratio(0, 0), "0/0"},
		{UnitNames([]campaign.Unit{{ID: "a", Name: "学田湾社区"}, {ID: "b", Name: "大井巷社区"}}), "学田湾社区、大井巷社区"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: %q, want %q", i, tt.got, tt.want)
		}
	}
}
