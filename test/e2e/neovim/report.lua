-- The checks' report both Neovim scripts write: one "ok - ..." / "not ok - ...: why" line per check
-- on stdout (print() goes to stderr in headless mode), then "N passed, N failed", and Neovim's exit
-- status. Loaded with dofile() from beside the script.
local passed, failed = 0, 0
local M = {}
function M.out(line) io.stdout:write(line .. '\n') end
function M.check(ok, what, detail)
  if ok then passed = passed + 1; M.out('ok - ' .. what)
  else failed = failed + 1; M.out('not ok - ' .. what .. (detail and (': ' .. detail) or '')) end
end
function M.finish()
  M.out(string.format('%d passed, %d failed', passed, failed))
  io.stdout:flush()
  if failed > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
end
return M
