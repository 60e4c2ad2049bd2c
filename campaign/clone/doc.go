// Package clone turns one year's campaign file into next year's: the same
// campaign, moved to a new year, with the file's comments and layout kept.
//
//	res, err := clone.Year(src, 2024)
//	// res.Data is the new file; res.Changes and res.Reviews are the table
//	// the command prints.
//
// Every calendar date of the campaign (announced, period, events,
// deadlines, task date windows, reminder at/from/to) moves to the same
// month and day of the new year, time of day and zone kept. 29 February
// moves to 28 February when the new year has no 29 February, and is marked.
// The campaign id, its name and the years and ordinals in its texts
// (2023年, 第32个全国消防日) move by the same number of years. Nothing that
// might be wrong is moved silently: a deadline on a Saturday or Sunday, a
// weekday named in a text, a year the tool does not recognise as the
// campaign's, a 2023 in a setting outside the campaign — each is left as
// it is and marked with a "# 复核：" comment in the file.
//
// The file is read into a yaml.Node tree, which says where each value is;
// the edits are then spliced into the original bytes at those places, so
// blank lines, aligned comments and quoting stay exactly as written (a
// re-encoded tree would lose them). The result is parsed again and every
// value compared with the one intended before it is returned.
//
// The package does no I/O and reads no clock: bytes in, bytes out.
package clone
