package workbook

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// districtStreets are three streets, each the fixture in its own store (so
// each has its own HD-0001 and TJ-0001, both nominating 王秀英); the two
// long names share their first characters, so their form sheet names
// must still be told apart.
func districtStreets(t *testing.T) []Street {
	t.Helper()
	var out []Street
	for _, s := range []struct{ id, name string }{
		{"jfb", "解放碑街道"},
		{"long1", "一二三四五六七八九十甲街道"},
		{"long2", "一二三四五六七八九十乙街道"},
	} {
		f := newFixtureIn(t, filepath.Join(t.TempDir(), s.id))
		t.Cleanup(func() { f.st.Close() })
		out = append(out, Street{ID: s.id, Name: s.name, Store: f.st, Config: f.cfg})
	}
	return out
}

func writeDistrict(t *testing.T, streets []Street) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	var last int
	opts := Options{Now: exportNow, TmpDir: t.TempDir(), Progress: func(done, _ int) { last = done }}
	if err := WriteDistrict(context.Background(), &buf, "渝中区", streets, opts); err != nil {
		t.Fatal(err)
	}
	if last != len(streets) {
		t.Errorf("progress ended at %d, want %d", last, len(streets))
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

func TestWriteDistrict(t *testing.T) {
	streets := districtStreets(t)
	wb := writeDistrict(t, streets)

	// Sheets: the summary, the list, one form per street's TJ-0001, each
	// name unique, within 31 characters and naming its street.
	wantSheets := []string{SheetSummary, SheetNominations,
		"推荐表-解放碑-TJ-0001-王秀英", "推荐表-一二三四五六七八-TJ-0001-王秀英", "推荐表-一二三四五六七八-TJ-0001-王秀英-2"}
	if diff := cmp.Diff(wantSheets, wb.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	for _, name := range wb.GetSheetList() {
		if n := utf8.RuneCountInString(name); n > 31 {
			t.Errorf("sheet name %q has %d characters", name, n)
		}
	}

	// The list: every street's nomination, told apart by its street.
	noms := rows(t, wb, SheetNominations)
	cStreet, cID, cName, cForm := noms.col(t, 0, "街道"), noms.col(t, 0, "编号"), noms.col(t, 0, "名称"), noms.col(t, 0, "推荐表")
	if len(noms) != 1+len(streets) {
		t.Fatalf("list has %d lines, want a header and %d nominations: %q", len(noms), len(streets), noms)
	}
	for i, s := range streets {
		r := noms[i+1]
		if at(r, cStreet) != s.Name || at(r, cID) != s.Name+" TJ-0001" || at(r, cName) != "王秀英" || at(r, cForm) != wantSheets[2+i] {
			t.Errorf("line %d = %q, want %s's TJ-0001 with form %s", i+1, r, s.Name, wantSheets[2+i])
		}
	}
	// Each form names its street with the id.
	for i, s := range streets {
		form := rows(t, wb, wantSheets[2+i])
		if len(form) < 2 || !strings.Contains(form[1][0], "编号："+s.Name+" TJ-0001") {
			t.Errorf("form %s: info line %q", wantSheets[2+i], form[1:2])
		}
	}

	// The summary: one line per street with what the street's own 合计
	// says, and a 合计 line adding them up.
	_, own := sharedExport(t)
	ownSum := rows(t, own, SheetSummary)
	ownTotal := ownSum[len(ownSum)-1]
	sum := rows(t, wb, SheetSummary)
	if len(sum) != 3+len(streets)+1 {
		t.Fatalf("summary has %d lines, want title, 2 header lines, %d streets and 合计: %q", len(sum), len(streets), sum)
	}
	for _, title := range []string{"已完成", "应完成", "推荐人数"} {
		want := atoi(t, at(ownTotal, ownSum.col(t, 1, title)))
		c := sum.col(t, 1, title)
		for i, s := range streets {
			r := sum[3+i]
			if at(r, 1) != s.Name || atoi(t, at(r, c)) != want {
				t.Errorf("%s line %q: %s = %s, want %d (the street's own 合计)", s.Name, r, title, at(r, c), want)
			}
		}
		total := sum[len(sum)-1]
		if at(total, 1) != "合计" || atoi(t, at(total, c)) != want*len(streets) {
			t.Errorf("合计 line %q: %s = %s, want %d", total, title, at(total, c), want*len(streets))
		}
	}
	// Per task: units done and asked, as in the street's 合计 (完成x/y).
	task := streets[0].Config.Campaign.Tasks[0]
	c := sum.col(t, 1, task.Name)
	done, asked := atoi(t, at(sum[3], c)), atoi(t, at(sum[3], c+1))
	if want := at(ownTotal, ownSum.col(t, 1, task.Name)); want != "完成"+strconv.Itoa(done)+"/"+strconv.Itoa(asked) {
		t.Errorf("%s: district shows %d/%d, the street's 合计 %q", task.Name, done, asked, want)
	}
	if sum[2][c] != "完成" || sum[2][c+1] != "应完成" || sum[2][c+2] != keyTitle(task) {
		t.Errorf("task sub-header %q", sum[2][c:c+3])
	}
	// Its key number, summed as the street's 合计 sums it.
	if want, got := atoi(t, at(ownTotal, ownSum.col(t, 1, task.Name)+2)), atoi(t, at(sum[3], c+2)); got != want || want == 0 {
		t.Errorf("%s %s: district %d, the street's 合计 %d", task.Name, keyTitle(task), got, want)
	} else if total := atoi(t, at(sum[len(sum)-1], c+2)); total != want*len(streets) {
		t.Errorf("%s %s 合计: %d, want %d", task.Name, keyTitle(task), total, want*len(streets))
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// A street whose store fails fails the whole export, naming the street;
// nothing is written.
func TestWriteDistrictStreetFails(t *testing.T) {
	streets := districtStreets(t)[:2]
	if err := streets[1].Store.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err := WriteDistrict(context.Background(), &buf, "渝中区", streets, Options{Now: exportNow, TmpDir: t.TempDir()})
	var se *StreetError
	if !errors.As(err, &se) || se.Street != streets[1].Name || se.ID != streets[1].ID || !errors.Is(err, ErrExport) {
		t.Fatalf("err = %v, want a StreetError naming %s", err, streets[1].Name)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for a failed export", buf.Len())
	}
}

// A cancelled export is not a street's fault.
func TestWriteDistrictCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := WriteDistrict(ctx, new(bytes.Buffer), "渝中区", districtStreets(t)[:1], Options{TmpDir: t.TempDir()})
	var se *StreetError
	if !errors.Is(err, context.Canceled) || errors.As(err, &se) {
		t.Fatalf("err = %v, want context.Canceled and no StreetError", err)
	}
}
