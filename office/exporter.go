package office

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"firebot/config"
	"firebot/store"
	"firebot/workbook"
)

// What 导出 and 图表 jobs (jobs.go) run: the December 1 report and the
// progress chart, behind interfaces so tests can make them fail or wait.

// MaxUpload is WeCom's limit for a file uploaded by a group robot.
const MaxUpload = 20 << 20

// Exporter builds the December 1 report (导出).
type Exporter interface {
	// Export writes the workbook and the photos (zips numbered part 1,
	// 2…, each at most MaxUpload) under dir, at campaign time now. What
	// cannot be made small enough for a chat upload is left out and named
	// in Export.Omitted.
	Export(ctx context.Context, st store.Store, cfg *config.Config, dir string, now time.Time) (Export, error)
}

// Export is what an Exporter wrote.
type Export struct {
	Files []ExportFile // the workbook first
	// Omitted says what was too large for chat, e.g. "照片共 85.3 MB";
	// the message then points to the command line.
	Omitted string
}

// ExportFile is one file an Exporter wrote.
type ExportFile struct {
	Path string // on disk
	Name string // the name recipients see
}

// ReportExporter exports with workbook.Build: the workbook, and the photos
// in zip parts of at most report.MaxPartBytes (at most report.MaxChatParts
// of them; more is for the command line).
type ReportExporter struct{}

// Export implements Exporter.
func (ReportExporter) Export(ctx context.Context, st store.Store, cfg *config.Config, dir string, now time.Time) (Export, error) {
	xlsx, parts, err := workbook.Build(ctx, st, cfg, now)
	var out Export
	if errors.Is(err, workbook.ErrTooLargeForChat) {
		out.Omitted = omittedText(err)
	} else if err != nil {
		return Export{}, err
	}
	write := func(name string, b []byte) error {
		path := filepath.Join(dir, fmt.Sprintf("%d%s", len(out.Files)+1, filepath.Ext(name)))
		if err := os.WriteFile(path, b, 0o640); err != nil {
			return err
		}
		out.Files = append(out.Files, ExportFile{Path: path, Name: name})
		return nil
	}
	day := now.Format("20060102")
	if len(xlsx) > 0 && len(xlsx) <= MaxUpload {
		if err := write(cfg.Campaign.Name+"汇总表-"+day+".xlsx", xlsx); err != nil {
			return Export{}, err
		}
	}
	for i, p := range parts {
		name := "活动照片-" + day + ".zip"
		if len(parts) > 1 {
			name = fmt.Sprintf("活动照片-%s-第%d部分（共%d部分）.zip", day, i+1, len(parts))
		}
		if err := write(name, p); err != nil {
			return Export{}, err
		}
	}
	return out, nil
}

// Charter draws the progress chart (图表) as a PNG.
type Charter interface {
	Chart(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) ([]byte, error)
}

// ReportCharter draws with workbook.Chart: the chart the workbook shows.
type ReportCharter struct{}

// Chart implements Charter.
func (ReportCharter) Chart(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) ([]byte, error) {
	return workbook.Chart(ctx, st, cfg, now)
}
