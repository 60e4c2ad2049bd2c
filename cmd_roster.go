package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"firebot/roster"
)

func init() {
	register(&command{
		name:    "roster",
		args:    "import -config FILE [-street 街道id] [-dry-run] 名册.xlsx|名册.csv，或 template -o 模板.xlsx|模板.csv",
		summary: "导入单位名册（单位、安全员、群聊）：整表无误才写入，有错逐行列出；template 生成名册模板",
		run:     runRoster,
	})
}

func runRoster(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("roster", stderr, true)
	dryRun := fs.Bool("dry-run", false, "只列出将新增、更新的单位和改动，不写入")
	outPath := fs.String("o", "", "template：模板写到这个文件（.xlsx 或 .csv）")
	fs.withStreet()
	pos, code, ok := fs.parseSub(args)
	if !ok {
		return code
	}
	switch pos[0] {
	case "import":
		if len(pos) != 2 {
			if len(pos) > 2 {
				return tooMany(stderr, "roster import", pos[2:])
			}
			fmt.Fprintln(stderr, "firebot roster import：请给出名册文件，例如 firebot roster import -config config.yaml 名册.xlsx")
			return 2
		}
		return rosterImport(ctx, fs, pos[1], *dryRun, stdout, stderr)
	case "template":
		if len(pos) > 1 {
			return tooMany(stderr, "roster template", pos[1:])
		}
		return rosterTemplate(*outPath, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "firebot roster：未知子命令 %q（可用：import、template）\n", pos[0])
		return 2
	}
}

func rosterImport(ctx context.Context, fs *cmdFlags, file string, dryRun bool, stdout, stderr io.Writer) int {
	t, code, ok := fs.loadTarget(false)
	if !ok {
		return code
	}
	if fi, err := os.Stat(file); err == nil && fi.Size() > roster.MaxFileSize {
		fmt.Fprintf(stderr, "firebot roster import：文件 %s 太大（最多 %d 字节）\n", file, roster.MaxFileSize)
		return 1
	}
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "firebot roster import：无法读取名册文件：%v\n", err)
		return 1
	}
	params := roster.ImportParams{FileName: filepath.Base(file), Data: data, DryRun: dryRun, By: cliActor()}
	if err := runOp(ctx, t, roster.OpImport, params, stdout, nil); err != nil {
		fmt.Fprintf(stderr, "firebot roster import：%v\n", err)
		return 1
	}
	return 0
}

func rosterTemplate(out string, stdout, stderr io.Writer) int {
	if out == "" {
		fmt.Fprintln(stderr, "firebot roster template：请用 -o 指定输出文件，例如 -o 名册模板.xlsx（或 .csv）")
		return 2
	}
	var data []byte
	switch strings.ToLower(filepath.Ext(out)) {
	case ".csv":
		data = roster.TemplateCSV()
	case ".xlsx":
		var err error
		if data, err = roster.TemplateXLSX(); err != nil {
			fmt.Fprintf(stderr, "firebot roster template：%v\n", err)
			return 1
		}
	default:
		fmt.Fprintln(stderr, "firebot roster template：输出文件名须以 .xlsx 或 .csv 结尾")
		return 2
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "firebot roster template：%v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "已生成名册模板 %s\n", out)
	return 0
}

// cliActor names the person running a command-line tool in the audit log.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}
