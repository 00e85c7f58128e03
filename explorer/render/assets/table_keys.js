/* Enter and Space select the row of the focused cell in a Streamlit table (st.dataframe with row selection), the
   same selection a click on its checkbox makes. Streamlit's grid (glide-data-grid) selects a row only with
   Shift+Space and moves down on Enter, so a keyboard user could not open a relation's evidence from the table.
   A row already selected stays selected (Enter selects, it does not toggle). Installed once per page. */
function explorerTableKeys(doc) {
  if (doc.explorerTableKeys) { return; }
  doc.explorerTableKeys = true;
  doc.addEventListener("keydown", (event) => {
    if ((event.key !== "Enter" && event.key !== " ") || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    const cell = event.target instanceof Element ? event.target.closest("[data-testid='stDataFrame'] td[role='gridcell']") : null;
    if (!cell) { return; }
    event.preventDefault();
    event.stopPropagation();
    const row = cell.closest("tr");
    if (row && row.getAttribute("aria-selected") === "true") { return; }
    cell.dispatchEvent(new KeyboardEvent("keydown", { key: " ", code: "Space", shiftKey: true, bubbles: true, cancelable: true }));
  }, true);
}
