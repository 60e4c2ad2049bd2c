package roster

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/config/configtest"
)

var update = flag.Bool("update", false, "rewrite template.csv and template.xlsx")

// The shipped templates are what TemplateCSV and TemplateXLSX build.
func TestTemplateFiles(t *testing.T) {
	xlsx, err := TemplateXLSX()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("template.csv", TemplateCSV(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("template.xlsx", xlsx, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csvFile, err := os.ReadFile("template.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csvFile, TemplateCSV()) {
		t.Error("template.csv is stale: run go generate ./roster")
	}
	xlsxFile, err := os.ReadFile("template.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := Parse("template.csv", csvFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range [][]byte{xlsxFile, xlsx} {
		fromXLSX, err := Parse("template.xlsx", data)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(fromCSV, fromXLSX); d != "" {
			t.Errorf("template.xlsx differs from template.csv (-csv +xlsx):\n%s\n(run go generate ./roster)", d)
		}
	}
}

// The template's example rows are units of the example configuration as it
// has them: importing the template there changes nothing.
func TestTemplateMatchesExampleConfig(t *testing.T) {
	cfg := configtest.Example(t)
	st := openStore(t)
	res, err := Import(context.Background(), st, TemplateCSV(), Options{FileName: "template.csv", DryRun: true, Seed: cfg.Units})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary() != "新增 0 个单位，更新 0 个，未变 6 个（读取 6 行 = 新增 + 更新 + 未变）" {
		var b bytes.Buffer
		res.Format(&b)
		t.Errorf("importing the template into the example roster:\n%s", b.String())
	}
}
