package workbook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"firebot/archive"
	"firebot/config"
	"firebot/ops"
	"firebot/store"
)

// Admin operations, run by "firebot export" in the service when it runs
// (its admin API) or in the tool itself otherwise:
//
//	export         the workbook (.xlsx)
//	export-photos  the photos, one zip
//	export-chart   the progress chart (.png)
//	export-csv     the activity details (活动明细) as UTF-8 CSV with a BOM
//	photos-missing the photos recorded but unreadable, a line each (text)
//
// None takes parameters; the export time is the environment's campaign
// clock. A successful export is recorded (archive.MarkExported): archiving
// a campaign requires one.
const (
	OpExport        = "export"
	OpExportPhotos  = "export-photos"
	OpExportChart   = "export-chart"
	OpPhotosMissing = "photos-missing"
	OpExportCSV     = "export-csv"
)

// Ops are the export operations.
func Ops() []ops.Op {
	return []ops.Op{
		{Name: OpExport, Run: runExport},
		{Name: OpExportPhotos, Run: runExportPhotos},
		{Name: OpExportChart, Run: runExportChart},
		{Name: OpPhotosMissing, Run: runPhotosMissing},
		{Name: OpExportCSV, Run: runExportCSV},
	}
}

// noParams refuses parameters an op does not know, so a newer tool talking
// to an older service fails loudly.
func noParams(raw json.RawMessage) error {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" || s == "{}" {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("参数格式错误：%w", err)
	}
	for k := range m {
		return fmt.Errorf("不认识的参数 %q", k)
	}
	return nil
}

func envOptions(env *ops.Env, progress func(done, total int)) Options {
	return Options{Now: env.Campaign.Now(), Progress: progress, Logger: env.Logger}
}

func runExport(ctx context.Context, env *ops.Env, params json.RawMessage, out io.Writer, progress func(done, total int)) error {
	if err := noParams(params); err != nil {
		return err
	}
	opts := envOptions(env, progress)
	learnNames(ctx, env)
	if err := Write(ctx, out, env.Store, env.Config, opts); err != nil {
		return err
	}
	return markExported(ctx, env.Store, env.Config, opts.Now)
}

// learnNames caches the names recorded on records and asks WeCom for the
// ones the workbook would otherwise show as account ids, when the
// environment can reach WeCom. A failure only leaves ids in the workbook:
// it is logged, the export goes on.
func learnNames(ctx context.Context, env *ops.Env) {
	var lookup LookupName
	if env.UserName != nil {
		lookup = env.UserName
	}
	n, err := LearnNames(ctx, env.Store, env.Config, lookup, env.Real.Now())
	if err != nil && env.Logger != nil {
		env.Logger.With("component", "workbook").Warn("names not learnt from WeCom", "learnt", n, "err", err)
	}
}

// markExported records the export, which archiving requires.
func markExported(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) error {
	err := st.Update(ctx, func(tx store.Tx) error {
		return archive.MarkExported(tx, cfg.Campaign.ID, now)
	})
	if err != nil {
		return fmt.Errorf("%w: record the export: %w", ErrExport, err)
	}
	return nil
}

func runExportPhotos(ctx context.Context, env *ops.Env, params json.RawMessage, out io.Writer, progress func(done, total int)) error {
	if err := noParams(params); err != nil {
		return err
	}
	stats, err := WritePhotos(ctx, out, env.Store, env.Config, envOptions(env, progress))
	if err != nil {
		return err
	}
	if len(stats.Missing) > 0 && env.Logger != nil {
		env.Logger.With("component", "workbook").Warn("photos missing from the export", "count", len(stats.Missing), "first", stats.Missing[0])
	}
	return nil
}

func runExportChart(ctx context.Context, env *ops.Env, params json.RawMessage, out io.Writer, _ func(done, total int)) error {
	if err := noParams(params); err != nil {
		return err
	}
	png, err := Chart(ctx, env.Store, env.Config, env.Campaign.Now())
	if err != nil {
		return err
	}
	_, err = out.Write(png)
	return err
}

func runPhotosMissing(ctx context.Context, env *ops.Env, params json.RawMessage, out io.Writer, _ func(done, total int)) error {
	if err := noParams(params); err != nil {
		return err
	}
	missing, err := MissingPhotos(ctx, env.Store, env.Config)
	if err != nil {
		return err
	}
	for _, m := range missing {
		if _, err := fmt.Fprintln(out, m); err != nil {
			return err
		}
	}
	return nil
}

func runExportCSV(ctx context.Context, env *ops.Env, params json.RawMessage, out io.Writer, progress func(done, total int)) error {
	if err := noParams(params); err != nil {
		return err
	}
	opts := envOptions(env, progress)
	learnNames(ctx, env)
	if err := WriteDetailsCSV(ctx, out, env.Store, env.Config, opts); err != nil {
		return err
	}
	return markExported(ctx, env.Store, env.Config, opts.Now)
}
