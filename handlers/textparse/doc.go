// Package textparse turns what people type into firebot's chat dialogs into
// values: dates, counts, phone numbers, command words and choices.
//
// Everything here is pure: no I/O, no global mutable state and no clock.
// Functions that need "today" take it as an argument, a time.Time in the
// campaign's location (the dialog reads it from the campaign clock), and
// return dates as midnight in that location:
//
//	d, err := textparse.ParseDate("上周五", today)
//	if err != nil {
//		reply(err.Error()) // a Chinese message listing the accepted forms
//	}
//	if textparse.IsFuture(d, today) { ... } // the dialog words this itself
//
// Input is forgiving the way chat input must be: full-width digits and
// letters (８０, ／进度), Chinese numerals (八十, 一百零五, 十一月三日),
// surrounding spaces and punctuation (【进度】, 进度！) and trailing
// time-of-day words (11月3日上午) are understood.
//
// Errors for malformed user input are *InputError values. Their Error text
// is simplified Chinese meant to be shown to the user as is; they wrap one of
// the package sentinels (ErrInvalidDate, ErrInvalidCount, ErrInvalidPhone,
// ErrInvalidChoice), so callers branch with errors.Is. Nothing here panics on
// user input; only MustNewMatcher panics, on a bad static command table.
//
// The pieces:
//   - ParseDate / ExtractDate / IsFuture: dates (今天, 上周五, 11月3日, 11.3, 3号, 2023-11-03 …).
//   - ParseCount / ExtractCount: positive whole numbers (80, 八十人, 1,200, 一千二).
//   - ValidatePhone / MaskPhone: Chinese mobile and landline numbers.
//   - CountChars / Preview: text length as the campaign counts it (事迹材料 ≤1000字).
//   - Matcher: command words with synonyms, longest match, and Suggest for typos.
//   - ParseChoice / ParseYesNo: picking one of a dialog's options.
//   - Read / ReadWith: one reading of a report message — task candidates from
//     the configured vocabulary (Vocabulary), the date, every number with its
//     role (people, households, materials, not a count), totals, sums,
//     corrections and approximations, material kinds, the 四个一 numbers by
//     nearby words (Reading.Assign), 形式/地点/预案, and whether the message
//     reports something already done.
package textparse
