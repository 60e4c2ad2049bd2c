// Package chart draws firebot's progress chart: a PNG with panels of
// horizontal bars, the share of applicable tasks done by sector (板块) and by
// category (社区, 学校, 医疗机构…), and beside them the volunteer
// nominations by kind of unit (the share of units asked that nominated,
// and how many people). Each bar is labelled with its percentage (rounded
// half up, Percent) and counts — after the bar, or inside a long one, so
// the axis ends at 100%.
//
// Collect the numbers with a Tally, one unit at a time, and draw them:
//
//	t := chart.NewTally(roster)
//	for _, p := range progress {
//		done, applicable := p.DoneCount()
//		t.Add(p.Unit, done, applicable)
//		if p.NominationExpected {
//			t.AddNominations(p.Unit, len(p.Nominations))
//		}
//	}
//	png, err := chart.Progress(t.Data("…完成进度", "截至 11月20日 09:00"))
//
// Chinese text is drawn with Droid Sans Fallback (Apache-2.0, embedded from
// fonts/, see fonts/NOTICE.txt); it has no Latin letters or digits, so the
// text handler falls back to Liberation Sans (shipped with gonum/plot) for
// every rune that font has. The 4 MB font is parsed on the first chart drawn,
// never at start-up. The PNG stays under MaxPNGBytes (WeCom's image push limit):
// a chart that would be larger is redrawn smaller, or refused with ErrTooLarge.
package chart
