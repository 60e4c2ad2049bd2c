package roster

import (
	"context"
	"io"

	"firebot/ops"
)

// OpImport is the admin operation behind "firebot roster import".
const OpImport = "roster-import"

// ImportParams are OpImport's parameters. The sheet travels in the
// parameters so a running service can apply it to its own store.
type ImportParams struct {
	FileName string `json:"file_name"`
	Data     []byte `json:"data"` // the file's bytes (base64 in JSON)
	DryRun   bool   `json:"dry_run,omitempty"`
	By       string `json:"by"`
}

// ImportOp is the roster import operation.
var ImportOp = ops.Typed(OpImport, runImportOp)

func runImportOp(ctx context.Context, env *ops.Env, p ImportParams, out io.Writer) error {
	p.By = ops.CallerOr(ctx, p.By)
	opts := Options{FileName: p.FileName, DryRun: p.DryRun, By: p.By}
	if env.Campaign != nil {
		opts.Now = env.Campaign.Now()
	}
	if env.Config != nil {
		opts.Seed = env.Config.Units
	}
	res, err := Import(ctx, env.Store, p.Data, opts)
	if err != nil {
		return err
	}
	return res.Format(out)
}
