package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigCheckDistrictExample(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "config", "check", "-config", "district.example.yaml")
	if code != 0 || out != "配置检查通过\n" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// writeDistrict writes a district file and its street files into a temp
// dir and returns the district file's path.
func writeDistrict(t *testing.T, district string, streets map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "streets"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range streets {
		if err := os.WriteFile(filepath.Join(dir, "streets", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "district.yaml")
	if err := os.WriteFile(path, []byte(district), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const testStreet = `street: {name: %s}
access: {office_users: [%s]}
campaign:
  id: 2023-119
  name: 宣传月
  period: {start: 2023-11-01, end: 2023-11-30}
  deadlines: [{id: report, title: 截止, time: 2023-12-01}]
units:
  - {id: c1, name: 社区一, kind: community, officers: [%s]}
`

// TestConfigCheckDistrictProblems: problems in two street files are each
// reported with their own file and line, after the district file's, one
// line each, and the check fails.
func TestConfigCheckDistrictProblems(t *testing.T) {
	path := writeDistrict(t, "district: {id: yuzhong, name: 渝中区}\ndistrict_users: [boss]\nstreets_dir: streets\n", map[string]string{
		// line 9: a category for a community, which has none
		"a.yaml": strings.Replace(fmtStreet("甲街道", "a_office", "a_officer"), "kind: community,", "kind: community, category: 学校,", 1),
		// line 1: a deployment-wide section in a street file; line 9:
		// street a's officer again
		"b.yaml": "wecom: {corp_id: x}\n" + fmtStreet("乙街道", "b_office", "a_officer"),
	})
	code, out, errOut := runArgs(t, context.Background(), "config", "check", "-config", path)
	dir := filepath.Dir(path)
	a, b := filepath.Join(dir, "streets", "a.yaml"), filepath.Join(dir, "streets", "b.yaml")
	want := []string{
		a + ":9: units[0].category: 只有社会单位（organisation）填写类别",
		b + ":1: wecom: 该项只能写在区级配置里（district.yaml），各街道共用",
		b + `:10: units[0].officers[0]: 用户 "a_officer" 已属于甲街道（` + a + `:9）：一个用户只能属于一个街道`,
	}
	if code != 1 || out != "" || errOut != strings.Join(want, "\n")+"\n" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, strings.Join(want, "\n"))
	}
}

func fmtStreet(name, office, officer string) string {
	return fmt.Sprintf(testStreet, name, office, officer)
}

// TestLoadConfigRefusesDistrict: the commands that run one street say so
// when given a district file, instead of listing unknown keys.
func TestLoadConfigRefusesDistrict(t *testing.T) {
	var stderr bytes.Buffer
	if _, ok := loadConfig("district.example.yaml", &stderr); ok || !strings.Contains(stderr.String(), "区级配置（3 个街道）") {
		t.Errorf("ok=%v, stderr %q", ok, stderr.String())
	}
}
