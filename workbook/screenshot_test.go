package workbook

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestScreenshotWorkbooks writes the fixture's 汇总 and 活动明细, each alone
// in a workbook, to the directory FIREBOT_SCREENSHOT_DIR, for the README's
// screenshots, and the fixture's chart. The README's images were made so:
//
//	FIREBOT_SCREENSHOT_DIR=/tmp/shots go test -run TestScreenshotWorkbooks ./workbook
//	soffice --headless --convert-to pdf --outdir /tmp/shots /tmp/shots/*.xlsx
//	pdftoppm -png -r 220 -f 1 -l 1 -x 163 -y 218 -W 955 -H 295 summary.pdf summary
//	pdftoppm -png -r 160 -f 1 -l 1 -x 117 -y 153 -W 1608 -H 150 details.pdf details
func TestScreenshotWorkbooks(t *testing.T) {
	dir := os.Getenv("FIREBOT_SCREENSHOT_DIR")
	if dir == "" {
		t.Skip("set FIREBOT_SCREENSHOT_DIR to write the screenshot workbooks")
	}
	f := newFixture(t)
	png, err := Chart(context.Background(), f.st, f.cfg, exportNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "chart.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{SheetSummary, SheetDetails} {
		f := newFixture(t)
		wb := export(t, f)
		for _, s := range wb.GetSheetList() {
			if s != keep {
				if err := wb.DeleteSheet(s); err != nil {
					t.Fatal(err)
				}
			}
		}
		name := map[string]string{SheetSummary: "summary.xlsx", SheetDetails: "details.xlsx"}[keep]
		if err := wb.SaveAs(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}
