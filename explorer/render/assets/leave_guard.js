/* Streamlit components v2 entry: while mounted, leaving or reloading the page asks first (the browser shows its
   own "Leave site?" prompt; the text cannot be set). Python mounts it only while the session holds unsaved
   additions; unmounting removes the handler. */
export default function (component) {
  const warn = (event) => {
    event.preventDefault();
    event.returnValue = "";  /* older browsers need a value to show the prompt */
  };
  window.addEventListener("beforeunload", warn);
  globalThis.explorerLeaveGuard = true;
  return () => {
    window.removeEventListener("beforeunload", warn);
    globalThis.explorerLeaveGuard = false;
  };
}
