-- The README's Neovim 0.7 block, run as a user's init would run it: read from the README, the
-- checkout's path put in, then a Nix file of the clan opened with filetype detection on. The
-- buffer must get the server's diagnostics. Writes "N passed, N failed" like diagnostics.lua.
-- Env: CLAN_VARS_README, CLAN_VARS_REPO (the checkout), CLAN_VARS_FILE (a file with a mistake),
-- CLAN_VARS_CODE (its code), CLAN_VARS_WAIT_MS (default 15000).
local readme = assert(os.getenv('CLAN_VARS_README'))
local repo = assert(os.getenv('CLAN_VARS_REPO'))
local file = assert(os.getenv('CLAN_VARS_FILE'))
local code = assert(os.getenv('CLAN_VARS_CODE'))
local wait_ms = tonumber(os.getenv('CLAN_VARS_WAIT_MS') or '15000')

local report = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/report.lua')
local check, finish = report.check, report.finish

local text = table.concat(vim.fn.readfile(readme), '\n')
local block = text:match('```lua\n(%-%- neovim 0%.7\n.-)```')
check(block ~= nil, 'the README has the Neovim 0.7 block')
if block then
  block = block:gsub('/path/to/clan%-vars', function() return repo end)
  local chunk, err = loadstring(block)
  check(chunk ~= nil, 'the block is valid Lua', err)
  if chunk then
    local ok, run_err = pcall(chunk)
    check(ok, 'the block runs', run_err)
    vim.cmd('filetype on')
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    check(vim.bo[buf].filetype == 'nix', 'the file is detected as nix', vim.bo[buf].filetype)
    local got = vim.wait(wait_ms, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
        if c == code then return true end
      end
      return false
    end, 50)
    check(got, 'the buffer gets ' .. code .. ' from the server the block started', #vim.diagnostic.get(buf) .. ' diagnostics')
    for _, client in pairs(vim.lsp.get_active_clients()) do client.stop() end
  end
end
finish()
