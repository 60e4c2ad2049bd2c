// Package roster imports the street office's roster sheet — the units
// taking part, their safety officers and their group chats — into the store,
// where the roster is authoritative once the service has first started.
//
// # The sheet
//
// An .xlsx workbook (the first worksheet that has a header row) or a CSV
// file (UTF-8 with or without BOM, or GB18030 as Excel on Chinese Windows
// saves it; comma-, tab- or semicolon-separated). The header row may follow
// a few title rows; columns are found by title, in any order, and other
// columns (序号, 备注…) are ignored. Row numbers in messages are the sheet's
// own (for a CSV file, the line a record starts on). A malformed CSV line
// (a quote not closed, a stray quote inside a cell, a number of fields
// other than the header's) is a problem naming that line: quotes are read
// strictly, so a quote left open cannot swallow the rows after it.
//
//	单位编号     id: letters, digits, _ - . ; required for a new unit, optional
//	             for a stored one (then matched by 单位名称)
//	单位名称     name, required, unique across the whole roster
//	类型         板块 | 社区 | 社会单位 (or sector | community | organisation)
//	所属板块     the sector's name or id (in the sheet or already stored);
//	             empty for a 板块
//	类别         学校 医疗机构 文化娱乐场所 宾馆酒店 危化企业 大型综合体 高层建筑 其他;
//	             required for 社会单位, empty otherwise
//	安全员       WeCom user ids separated by 、 , ， ; or spaces
//	群聊ID       chat ids bound to the unit, separated likewise
//	群机器人key  optional: the group robot's webhook key (or the whole webhook
//	             address), only when exactly one chat is listed
//
// 安全员, 群聊ID and 群机器人key left empty keep what is stored (a new unit
// gets none); 无 clears 安全员 or unbinds every chat. The other columns are
// taken as written.
//
// # Importing
//
// Import checks every row — on its own (kind, category, id and user id
// characters, missing name) and against the rest of the sheet and the
// stored roster (duplicate ids or names, a name used by another stored
// unit, unknown sectors, a sector turned into something else while stored
// units still belong to it). If anything is wrong it returns an
// *InvalidError listing each problem with its row number in Chinese, and
// writes nothing. Otherwise it applies the sheet in one store unit of work:
// changed units are written with store.PutUnit, new chats bound, chats no
// longer listed unbound, and one audit entry appended. Units missing from
// the sheet are kept: an import never deletes a unit. A dry run works out
// the same Result (added, updated with per-field diffs, unchanged) and
// rolls the unit of work back.
//
//	res, err := roster.Import(ctx, st, data, roster.Options{FileName: "units.xlsx", By: "cli:zhujun", Now: now, Seed: cfg.Units})
//	var inv *roster.InvalidError
//	if errors.As(err, &inv) { /* print inv.Problems */ }
//	res.Format(os.Stdout)
//
// The command line reaches Import through the admin operation OpImport
// ("firebot roster import"), so the file is applied by the running service
// when there is one. TemplateCSV and TemplateXLSX build the templates
// shipped as template.csv and template.xlsx (regenerate them with
// go generate ./roster).
package roster

//go:generate go test -run TestTemplateFiles -update
