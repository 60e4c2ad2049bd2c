// Package records is the conversation feature for records already
// submitted (上报 HD-…, 推荐 TJ-…):
//
//   - 我的记录 lists the sender's records and, for an officer, the other
//     records of their units;
//   - 修改 <编号> reopens a record on the summary of the flow that made it
//     (handlers.Context.ReopenRecord; 上报 and 推荐 say which kind they edit
//     with Flow.Edits), "修改 HD-0003 人数 90" editing at once;
//   - 撤回 <编号> asks once (the 撤回 dialog), then marks it withdrawn;
//   - 照片 [编号] attaches photos to a report, at once or through the 照片
//     dialog (the group robot receives no images: it says to send them
//     privately).
//
// The reporter, an officer of the record's unit and office staff may
// manage a record (handlers.Context.MayManage); every refusal and change
// is audited ("edit", "withdraw", "photo").
//
// Its Hooks take images sent outside any dialog: they attach to the
// sender's latest report, or the core holds them for the next one.
//
// Register Commands, Flows and Hooks on the router (service/commands.go).
package records
