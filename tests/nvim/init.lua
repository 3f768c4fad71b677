-- Headless Neovim config for tests/lsp.rs: start `numlint lsp` ($NUMLINT_BIN) for the
-- file given on the command line, wait for its diagnostics, write them to
-- $NUMLINT_NVIM_OUT as `rule line:col message` (1-based line, 1-based byte column,
-- first line of the message), and quit. Uses only APIs Neovim 0.7 has
-- (vim.lsp.start_client; vim.lsp.start arrived in 0.8).

local bin = os.getenv("NUMLINT_BIN") or "numlint"
local out = os.getenv("NUMLINT_NVIM_OUT")

local function finish(lines)
  local f = out and io.open(out, "w") or io.stdout
  for _, l in ipairs(lines) do
    f:write(l, "\n")
  end
  if f ~= io.stdout then
    f:close()
  end
  vim.cmd("qall!")
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local buf = vim.api.nvim_get_current_buf()
    local id = vim.lsp.start_client({
      name = "numlint",
      cmd = { bin, "lsp" },
      root_dir = vim.fn.getcwd(),
    })
    if not id then
      finish({ "ERROR could not start numlint lsp" })
      return
    end
    vim.lsp.buf_attach_client(buf, id)
    local got = vim.wait(10000, function()
      return #vim.diagnostic.get(buf) > 0
    end, 50)
    if not got then
      finish({ "TIMEOUT no diagnostics" })
      return
    end
    local lines = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code
      if code == nil and d.user_data and d.user_data.lsp then
        code = d.user_data.lsp.code
      end
      local message = vim.split(d.message, "\n", { plain = true })[1]
      table.insert(lines, string.format("%s %d:%d %s", tostring(code), d.lnum + 1, d.col + 1, message))
    end
    table.sort(lines)
    finish(lines)
  end,
})
