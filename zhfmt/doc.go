// Package zhfmt renders dates, times, durations, lists and counts in the
// simplified Chinese every user-facing message of firebot uses, so that a
// date reads the same in a chat reply, an office reply, a reminder and a
// digest.
//
// The forms:
//
//	Date           11月3日
//	DateWeekday    11月3日（周五）
//	Day            11月3日（周五）, 2024年11月3日（周五） outside now's year
//	Moment         11月3日 17:00
//	MomentWeekday  11月3日（周五）17:00
//	Deadline       Moment, or Date for a deadline given as a bare date
//	Countdown      还剩1天7小时, 还剩45分钟, 已截止
//	List           北片板块、学田湾社区 (UnitNames for units)
//	Ratio          3/5
//
// Reminders and the 免打扰 status name the weekday (MomentWeekday,
// DeadlineWeekday); chat replies about deadlines and moments do not
// (Deadline, Moment); an activity's day in a confirmation carries it (Day).
//
// Stored activity days (2006-01-02, ledger.Confirmation.Date) are read with
// ParseDay; StoredDate renders one as 11月3日 and leaves anything else as
// written. The package knows nothing of the store or the chat: it takes
// values and returns text.
package zhfmt
