package officetest

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"firebot/config"
	"firebot/office"
	"firebot/store"
)

// FakeExporter writes a small workbook and, when Big is set, a photo zip
// over WeCom's upload limit (a sparse file, so nothing is really written).
type FakeExporter struct{ Big bool }

// Export implements office.Exporter.
func (f FakeExporter) Export(ctx context.Context, st store.Store, cfg *config.Config, dir string, now time.Time) (office.Export, error) {
	wb := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(wb, []byte("PK fake workbook"), 0o600); err != nil {
		return office.Export{}, err
	}
	out := office.Export{Files: []office.ExportFile{{Path: wb, Name: "消防宣传月汇总.xlsx"}}}
	if f.Big {
		z := filepath.Join(dir, "photos.zip")
		fh, err := os.Create(z)
		if err != nil {
			return office.Export{}, err
		}
		if err := fh.Truncate(office.MaxUpload + 1); err != nil {
			fh.Close()
			return office.Export{}, err
		}
		fh.Close()
		out.Files = append(out.Files, office.ExportFile{Path: z, Name: "照片.zip"})
		out.Omitted = "照片共 130.0 MB"
	}
	return out, nil
}

type FakeCharter struct{}

// Chart implements office.Charter.
func (FakeCharter) Chart(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) ([]byte, error) {
	return []byte("\x89PNG fake"), nil
}
