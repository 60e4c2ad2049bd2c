package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Zip entries carry the campaign zone's wall clock (the record's time for
// a photo, the export's for the missing-photos note), and only that: no
// UTC extended timestamp a tool would shift into its own zone.
func TestZipEntryTimesAreLocal(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	// The campaign clock as the service hands it: in UTC.
	now := exportNow.UTC()
	if _, err := WritePhotos(context.Background(), &buf, f.st, f.cfg, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"学田湾社区/" + f.theme + "-1.jpg":   "2023-11-05 16:00", // HD-0001 at 16:00 CST
		"示例实验小学/" + f.school + "-1.jpg": "2023-11-20 15:00",
		MissingPhotosFile:               "2023-12-01 09:00",
	}
	for _, zf := range zr.File {
		w, ok := want[zf.Name]
		if !ok {
			continue
		}
		delete(want, zf.Name)
		if got := zf.Modified.Format("2006-01-02 15:04"); got != w {
			t.Errorf("%s: %s, want %s", zf.Name, got, w)
		}
		if len(zf.Extra) != 0 {
			t.Errorf("%s: extra fields %x (an extended timestamp would be shown in the reader's zone)", zf.Name, zf.Extra)
		}
	}
	if len(want) > 0 {
		t.Errorf("not in the zip: %v", want)
	}
	// Info-ZIP, in a zone far from the campaign's, shows the same times.
	unzip, err := exec.LookPath("unzip")
	if err != nil {
		t.Log("unzip not installed; checked with archive/zip only")
		return
	}
	path := filepath.Join(t.TempDir(), "photos.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(unzip, "-l", path)
	cmd.Env = append(os.Environ(), "TZ=America/New_York")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("unzip -l: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "16:00") || !strings.Contains(string(out), "09:00") {
		t.Errorf("unzip -l in New York shows other times:\n%s", out)
	}
}
