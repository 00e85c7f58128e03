/* Streamlit components v2 entry: draw the view, send clicks back to Python as a trigger value. */
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let container = parentElement.querySelector(".explorer-graph");
  if (!container) {
    container = document.createElement("div");
    container.className = "explorer-graph";
    container.setAttribute("role", "img");
    container.setAttribute("aria-label", "Relation graph; the table below lists the same relations");
    parentElement.appendChild(container);
  }
  container.style.height = (data && data.height) || "640px";
  if (container.explorerNetwork) {
    container.explorerNetwork.destroy();
  }
  container.removeAttribute("data-stable");
  const network = explorerDraw(container, data, (clicked) => {
    setTriggerValue("click", Object.assign({ nonce: Date.now() }, clicked));
  });
  container.explorerNetwork = network;
  return () => {
    network.destroy();
    container.explorerNetwork = null;
  };
}
