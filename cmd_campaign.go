package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"firebot/campaign/clone"
	"firebot/config"
)

func init() {
	register(&command{
		name:    "campaign",
		args:    "clone -from FILE -to FILE -year 年份 [-force] [-street 街道id]",
		summary: "准备下一年的活动：把活动配置复制到新的年份，列出每处改动和需要复核的地方",
		run:     runCampaign,
	})
}

func runCampaign(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("campaign", stderr, false)
	from := fs.String("from", "", "原活动的配置文件（必填）")
	to := fs.String("to", "", "新活动的配置文件（必填，不能与原文件相同）")
	year := fs.Int("year", 0, "新活动的年份，例如 2024（必填）")
	force := fs.Bool("force", false, "新文件已存在时覆盖它")
	fs.withStreet()
	pos, code, ok := fs.parseSub(args)
	if !ok {
		return code
	}
	switch pos[0] {
	case "clone":
		if len(pos) > 1 {
			return tooMany(stderr, "campaign clone", pos[1:])
		}
	default:
		fmt.Fprintf(stderr, "firebot campaign：未知子命令 %q（可用：clone）\n", pos[0])
		return 2
	}
	if *from == "" || *to == "" || *year == 0 {
		fmt.Fprintln(stderr, "firebot campaign clone：请写明 -from 原配置文件、-to 新配置文件和 -year 新年份，例如 -from config.yaml -to config-2024.yaml -year 2024")
		return 2
	}
	src, district, code := cloneSource(*from, *fs.street, stderr)
	if code != 0 {
		return code
	}
	if sameFile(src, *to) {
		fmt.Fprintln(stderr, "firebot campaign clone：-to 不能是原配置文件本身；原文件要保留，它仍是上一年活动的依据")
		return 2
	}
	return cloneCampaign(src, *to, *year, *force, district, stdout, stderr)
}

// cloneSource is the file whose campaign is cloned: from itself, or, when
// from is a district file, the file of the street -street names (the
// campaign is a street's). district is from when it is a district file.
func cloneSource(from, street string, stderr io.Writer) (src, district string, code int) {
	dist, _, err := config.LoadDistrict(from)
	if err != nil || dist == nil {
		return from, "", 0 // cloneCampaign says what is wrong with it
	}
	s, code, ok := pickStreet(stderr, "campaign clone", dist, street)
	if !ok {
		return "", "", code
	}
	if dist.Single {
		return from, "", 0
	}
	return s.File, dist.File, 0
}

// cloneCampaign writes the campaign of from, moved to year, to to, prints
// what it changed and marked, and checks the new file as config check does.
// With district (the district file from's street belongs to), the new
// file is a street file, and the next steps say how to put it in place.
func cloneCampaign(from, to string, year int, force bool, district string, stdout, stderr io.Writer) int {
	src, err := os.ReadFile(from)
	if err != nil {
		fmt.Fprintf(stderr, "firebot campaign clone：无法读取原配置文件：%v\n", err)
		return 1
	}
	res, err := clone.Year(src, year)
	switch {
	case errors.Is(err, clone.ErrSameYear):
		fmt.Fprintf(stderr, "firebot campaign clone：%s 已经是 %d 年的活动\n", from, year)
		return 1
	case errors.Is(err, clone.ErrYear):
		fmt.Fprintf(stderr, "firebot campaign clone：年份 %d 不对，请写四位数的年份\n", year)
		return 2
	case errors.Is(err, clone.ErrNotCampaign):
		fmt.Fprintf(stderr, "firebot campaign clone：%s 里没有可用的 campaign（需要 campaign.period.start 或 campaign.announced）\n", from)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "firebot campaign clone：无法生成新配置：%v\n", err)
		return 1
	}
	if err := writeNew(to, res.Data, from, force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(stderr, "firebot campaign clone：%s 已存在，没有覆盖（确实要覆盖请加 -force）\n", to)
		} else {
			fmt.Fprintf(stderr, "firebot campaign clone：无法写入新配置文件：%v\n", err)
		}
		return 1
	}
	printClone(stdout, to, res)
	if _, ok := loadConfig(to, stderr); !ok {
		fmt.Fprintf(stderr, "firebot campaign clone：新配置文件 %s 已写入，但没有通过配置检查，请按上面的提示修改\n", to)
		return 1
	}
	fmt.Fprintln(stdout, "配置检查通过")
	if district != "" {
		fmt.Fprintf(stdout, "\n下一步：核对需要复核的地方，然后用 %s 替换街道目录里的 %s（同一个街道只能有一个文件），再用 firebot config check -config %s 检查整个区，最后重启服务。数据不变：%d 年的记录仍在这个街道的活动编号 %s 下，可以照常查看和导出；%s 从零开始，单位名单和群绑定沿用。\n",
			to, from, district, res.From, res.OldID, res.NewID)
		return 0
	}
	fmt.Fprintf(stdout, "\n下一步：核对需要复核的地方，然后用 %s 启动。数据文件不变：%d 年的记录仍在活动编号 %s 下，可以照常查看和导出；%s 从零开始，单位名单和群绑定沿用。\n",
		to, res.From, res.OldID, res.NewID)
	return 0
}

// printClone prints the table of changes and of places marked for review.
func printClone(w io.Writer, to string, res *clone.Result) {
	fmt.Fprintf(w, "已生成 %d 年的活动配置 %s（原为 %d 年；活动编号 %s → %s）\n", res.To, to, res.From, res.OldID, res.NewID)
	fmt.Fprintf(w, "\n改动 %d 处：\n", len(res.Changes))
	rows := [][]string{{"行", "位置", "原值 → 新值"}}
	for _, c := range res.Changes {
		rows = append(rows, []string{strconv.Itoa(c.Line), c.Path, c.Old + " → " + c.New})
	}
	printTable(w, rows)
	defer func() {
		if len(res.CommentLines) == 0 {
			return
		}
		lines := make([]string, len(res.CommentLines))
		for i, l := range res.CommentLines {
			lines[i] = strconv.Itoa(l)
		}
		fmt.Fprintf(w, "注释没有改动，其中第 %s 行提到 %d，请按需修改。\n\n", strings.Join(lines, "、"), res.From)
	}()
	if len(res.Reviews) == 0 {
		fmt.Fprintln(w, "\n没有需要复核的地方。")
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintf(w, "\n需要复核 %d 处（新文件中已用“# %s”注释标出）：\n", len(res.Reviews), clone.ReviewMark)
	rows = [][]string{{"行", "位置", "说明"}}
	for _, r := range res.Reviews {
		rows = append(rows, []string{strconv.Itoa(r.Line), r.Path, r.Note})
	}
	printTable(w, rows)
	fmt.Fprintln(w)
}

// printTable prints rows in columns aligned by display width (a Chinese
// character takes two columns), indented by two spaces.
func printTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// writeNew writes data to path through a temporary file in the same
// directory, with the permissions of like (the file holds secrets); it
// refuses to replace an existing file unless force.
func writeNew(path string, data []byte, like string, force bool) error {
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(like); err == nil {
		mode = st.Mode().Perm()
	}
	if _, err := os.Lstat(path); err == nil && !force {
		return fs.ErrExist
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if !force {
		// Link fails if the file appeared meanwhile, so nothing is replaced.
		if err := os.Link(tmp.Name(), path); err != nil {
			return err
		}
		return nil
	}
	return os.Rename(tmp.Name(), path)
}

// sameFile reports whether two paths name one file (or one path).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
