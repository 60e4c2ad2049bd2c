package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// unzip reads a zip's files.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Flags&0x800 == 0 && strings.ContainsFunc(f.Name, func(r rune) bool { return r > 0x7f }) {
			t.Errorf("%s: Chinese name not marked UTF-8 (unzip tools would garble it)", f.Name)
		}
		out[f.Name] = body
	}
	return out
}

func TestPhotosZipMatchesRecords(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	stats, err := WritePhotos(context.Background(), &buf, f.st, f.cfg, Options{Now: exportNow})
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	note, ok := files[MissingPhotosFile]
	delete(files, MissingPhotosFile)
	// Active records only (not the returned HD-0003 or the withdrawn
	// HD-0005); the pending photo renamed after its record.
	if diff := cmp.Diff(f.photos, files); diff != "" {
		t.Errorf("zip (-want +got):\n%s", diff)
	}
	missing := "学田湾社区/" + f.drill + "-2.jpg：文件不存在"
	if !ok || !strings.Contains(string(note), missing) {
		t.Errorf("missing-photos note %q, want it to name %q", note, missing)
	}
	var size int64
	for _, b := range f.photos {
		size += int64(len(b))
	}
	want := PhotoStats{Files: 4, Bytes: size, Parts: 1, Missing: []string{missing}}
	if diff := cmp.Diff(want, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}

	// Every photo file named in the details sheet is in the zip, in its
	// unit's folder.
	_, wb := sharedExport(t) // the same fixture, exported once
	tb := rows(t, wb, SheetDetails)
	unit, names := tb.col(t, 0, "单位名称"), tb.col(t, 0, "照片文件")
	var listed int
	for _, r := range tb[1:] {
		for _, n := range strings.Split(at(r, names), "\n") {
			if n == "" {
				continue
			}
			listed++
			if gone, ok := strings.CutSuffix(n, "（缺失）"); ok {
				if r[unit]+"/"+gone != "学田湾社区/"+f.drill+"-2.jpg" {
					t.Errorf("details lists %s/%s as missing", r[unit], n)
				}
				continue
			}
			if _, ok := files[r[unit]+"/"+n]; !ok {
				t.Errorf("details lists %s/%s, not in the zip", r[unit], n)
			}
		}
	}
	if listed != 5 {
		t.Errorf("details list %d photos, want 5", listed)
	}
}

func TestPhotoParts(t *testing.T) {
	f := newFixture(t)
	// 40 KB photos: two share a 100 KB part, three cannot.
	f.rewritePhotos(t, func(zn string) []byte { return bytes.Repeat([]byte(zn), 40_000/len(zn)) })
	big := f.photos
	const limit = 100_000
	var parts []*bytes.Buffer
	stats, err := WritePhotoParts(context.Background(), f.st, f.cfg, limit, func(n int) (io.Writer, error) {
		if n != len(parts)+1 {
			t.Errorf("part %d asked after %d", n, len(parts))
		}
		b := new(bytes.Buffer)
		parts = append(parts, b)
		return b, nil
	}, Options{Now: exportNow})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Parts != len(parts) || len(parts) < 2 || len(stats.Oversize) != 0 {
		t.Fatalf("stats %+v, %d parts", stats, len(parts))
	}
	all := map[string][]byte{}
	for i, p := range parts {
		if p.Len() > limit {
			t.Errorf("part %d: %d bytes > %d", i+1, p.Len(), limit)
		}
		for name, body := range unzip(t, p.Bytes()) { // each part is a whole zip
			if _, dup := all[name]; dup {
				t.Errorf("%s in two parts", name)
			}
			all[name] = body
		}
	}
	delete(all, MissingPhotosFile)
	if diff := cmp.Diff(big, all); diff != "" {
		t.Errorf("parts together (-want +got):\n%s", diff)
	}

	// A photo larger than a part goes alone and is reported.
	parts = nil
	stats, err = WritePhotoParts(context.Background(), f.st, f.cfg, 30_000, func(int) (io.Writer, error) {
		b := new(bytes.Buffer)
		parts = append(parts, b)
		return b, nil
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Oversize) != 4 || stats.Parts != 5 {
		t.Errorf("oversize %q, %d parts", stats.Oversize, stats.Parts)
	}
}

func TestBuildForChat(t *testing.T) {
	f := newFixture(t)
	xlsx, parts, err := Build(context.Background(), f.st, f.cfg, exportNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(xlsx) == 0 || len(xlsx) > MaxPartBytes || len(parts) != 1 {
		t.Fatalf("xlsx %d bytes, %d parts", len(xlsx), len(parts))
	}
	files := unzip(t, parts[0])
	delete(files, MissingPhotosFile)
	if diff := cmp.Diff(f.photos, files); diff != "" {
		t.Errorf("zip (-want +got):\n%s", diff)
	}

	// Photos needing more parts than a chat reply carries: the workbook
	// alone, and ErrTooLargeForChat.
	f.rewritePhotos(t, func(zn string) []byte { return bytes.Repeat([]byte(zn), 3_000_000/len(zn)) })
	xlsx, parts, err = build(context.Background(), f.st, f.cfg, exportNow, 3_500_000, 2)
	if !errors.Is(err, ErrTooLargeForChat) || len(xlsx) == 0 || parts != nil {
		t.Errorf("err %v, xlsx %d bytes, %d parts", err, len(xlsx), len(parts))
	}
}
