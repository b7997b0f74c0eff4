-- Neovim (0.7+) as a second LSP client: starts the Clan Vars language server over stdio, opens the
-- fixture clan's files with seeded mistakes, checks the diagnostics it receives, then fixes one
-- mistake in the buffer and checks that its diagnostic goes away. Writes one line per check to
-- stdout (print() goes to stderr in headless mode) and ends with "N passed, N failed".
-- Env: CLAN_VARS_SERVER (server script), CLAN_VARS_ROOT (the clan), CLAN_VARS_EXPECT
-- ("relative/file.nix=code;..."), CLAN_VARS_WAIT_MS (default 15000).
local server = assert(os.getenv('CLAN_VARS_SERVER'), 'CLAN_VARS_SERVER is not set')
local root = assert(os.getenv('CLAN_VARS_ROOT'), 'CLAN_VARS_ROOT is not set')
local expect_spec = assert(os.getenv('CLAN_VARS_EXPECT'), 'CLAN_VARS_EXPECT is not set')
local wait_ms = tonumber(os.getenv('CLAN_VARS_WAIT_MS') or '15000')

local report = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/report.lua')
local check, finish = report.check, report.finish

local expected = {}
for file, code in string.gmatch(expect_spec, '([^=;]+)=([^;]+)') do table.insert(expected, { file = file, code = code }) end

local published = {} -- uri -> number of publishDiagnostics messages
local client_id = vim.lsp.start_client({
  name = 'clan-vars',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      published[result.uri] = (published[result.uri] or 0) + 1
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
check(client_id ~= nil, 'the language server starts (' .. server .. ')')
if not client_id then return finish() end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    found[#found + 1] = string.format('%s@%d:%d', tostring(code), d.lnum + 1, d.col + 1)
  end
  return found
end
local function has_code(bufnr, code)
  for _, c in ipairs(codes(bufnr)) do
    if c:sub(1, #code + 1) == code .. '@' then return true end
  end
  return false
end

local buffers = {}
for _, e in ipairs(expected) do
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. e.file))
  e.bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(e.bufnr, client_id)
  buffers[#buffers + 1] = e.bufnr
end

local all_there = vim.wait(wait_ms, function()
  for _, e in ipairs(expected) do
    if not has_code(e.bufnr, e.code) then return false end
  end
  return true
end, 50)
local client = vim.lsp.get_client_by_id(client_id)
check(client ~= nil and client.initialized, 'the client is initialized')
for _, e in ipairs(expected) do
  check(has_code(e.bufnr, e.code), e.file .. ' has ' .. e.code,
    all_there and nil or ('got [' .. table.concat(codes(e.bufnr), ', ') .. '] after ' .. wait_ms .. ' ms; publishDiagnostics for it: ' ..
      tostring(published[vim.uri_from_bufnr(e.bufnr)] or 0)))
end

-- fix the first mistake in its buffer (not on disk): replace the word under the diagnostic
local first = expected[1]
local diag = nil
for _, d in ipairs(vim.diagnostic.get(first.bufnr)) do diag = diag or d end
if diag then
  local line = vim.api.nvim_buf_get_lines(first.bufnr, diag.lnum, diag.lnum + 1, false)[1]
  local fixed = os.getenv('CLAN_VARS_FIX_FIND') and line:gsub(os.getenv('CLAN_VARS_FIX_FIND'), os.getenv('CLAN_VARS_FIX_REPLACE')) or line
  local uri = vim.uri_from_bufnr(first.bufnr)
  local before = published[uri] or 0
  vim.api.nvim_buf_set_lines(first.bufnr, diag.lnum, diag.lnum + 1, false, { fixed })
  -- a new publish for this file, without the code
  local cleared = vim.wait(wait_ms, function() return (published[uri] or 0) > before and not has_code(first.bufnr, first.code) end, 50)
  check(cleared, 'editing ' .. first.file .. ' clears ' .. first.code, 'still [' .. table.concat(codes(first.bufnr), ', ') .. ']')
else
  check(false, 'editing ' .. first.file .. ' clears ' .. first.code, 'there was no diagnostic to fix')
end

vim.lsp.stop_client(client_id)
finish()
