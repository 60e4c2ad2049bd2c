package workbook

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"

	"firebot/config"
	"firebot/store"
)

// utf8BOM starts the CSV so Excel on Chinese Windows reads it as UTF-8.
const utf8BOM = "\uFEFF"

// WriteDetailsCSV writes the activity details (the 活动明细 sheet, the same
// columns and cells as the workbook shows them, dates as 2006-01-02) to w
// as UTF-8 CSV with a byte-order mark. The workbook is built in a
// temporary file under opts.TmpDir and read back row by row.
func WriteDetailsCSV(ctx context.Context, w io.Writer, st store.Store, cfg *config.Config, opts Options) error {
	tmp, err := os.CreateTemp(opts.TmpDir, "firebot-details-*.xlsx")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	defer os.Remove(tmp.Name())
	err = Write(ctx, tmp, st, cfg, opts)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	wb, err := excelize.OpenFile(tmp.Name(), excelize.Options{TmpDir: opts.TmpDir})
	if err != nil {
		return fmt.Errorf("%w: read back: %w", ErrExport, err)
	}
	defer wb.Close()
	rows, err := wb.Rows(SheetDetails)
	if err != nil {
		return fmt.Errorf("%w: read back: %w", ErrExport, err)
	}
	defer rows.Close()
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // as Excel writes CSV
	width := len(detailsCols)
	for rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("%w: read back: %w", ErrExport, err)
		}
		for len(cells) < width {
			cells = append(cells, "")
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("%w: %w", ErrExport, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%w: %w", ErrExport, err)
	}
	return nil
}
